"""The ``sessions`` table of the research export: outcome and alliance, session by session.

One row per person per therapy session of a consenting couple: whether the
person came, their outcome check-in before the session (the measure, its score
and their status against their own first score: Jacobson & Truax 1991), and
their answers to Dyade's alliance check after it. Like the diary tables it
holds no calendar date: ``session_day`` counts days from the couple's first
session in the study period.

Pure: the caller reads the sessions and check-ins, replaces the couple by its
pseudonym and passes one :data:`SessionEntry` per person per session.
"""

from __future__ import annotations

from collections.abc import Sequence

from dyade.clinic.research.model import ROLES, Cell, Code, Variable

FILE = "sessions"
STATUSES: tuple[Code, ...] = (
    (1, "recovered", "hersteld"),
    (2, "improved", "verbeterd"),
    (3, "unchanged", "onveranderd"),
    (4, "deteriorated", "verslechterd"),
)
ALLIANCE_ITEMS = (
    ("alliance_heard", "Felt heard and understood by the therapist in this session",
     "Voelde zich gehoord en begrepen door de therapeut in deze sessie"),
    ("alliance_goals", "The session was about what the person wanted to work on",
     "De sessie ging over waar de persoon aan wilde werken"),
    ("alliance_approach", "The way of working in this session suited the person",
     "De manier van werken in deze sessie paste bij de persoon"),
    ("alliance_overall", "All in all, a good session for the person",
     "Alles bij elkaar een goede sessie voor de persoon"),
)  # fmt: skip
COLUMNS = (
    "dyad",
    "person",
    "role",
    "session",
    "session_day",
    "attended",
    "outcome_measure",
    "outcome",
    "outcome_status",
    *(name for name, _en, _nl in ALLIANCE_ITEMS),
)
ALLIANCE_MIN, ALLIANCE_MAX = 0, 10
ALLIANCE_ENDS: tuple[Code, ...] = (
    (ALLIANCE_MIN, "not at all", "helemaal niet"),
    (ALLIANCE_MAX, "completely", "helemaal wel"),
)
_STATUS_NUMBER = {"recovered": 1, "improved": 2, "unchanged": 3, "deteriorated": 4}

# (role, session number, session day, attended (True, False or None when not recorded),
#  outcome measure id ("" when none), outcome score (a whole number or None),
#  status code or None, the four alliance answers (each a whole number or None))
SessionEntry = tuple[
    str, int, int, bool | None, str, int | None, str | None, tuple[int | None, ...]
]


def variables() -> tuple[Variable, ...]:
    """The codebook lines of the ``sessions`` file (the ids it shares are listed once)."""
    files = (FILE,)
    alliance_missing = (
        "Empty when the person gave no alliance check after this session, skipped the "
        "question, or the practice used another alliance measure.",
        "Leeg als de persoon na deze sessie geen check over de werkrelatie gaf, de vraag "
        "oversloeg, of de praktijk een ander instrument voor de werkrelatie gebruikte.",
    )
    return (
        Variable(
            "session",
            "Session: its number among the couple's sessions in the study period (1 = first)",
            "Sessie: het nummer onder de sessies van het koppel in de studieperiode "
            "(1 = de eerste)",
            "numeric",
            "scale",
            files,
        ),
        Variable(
            "session_day",
            "Day of the session: days since the couple's first session (0 = that session)",
            "Dag van de sessie: dagen sinds de eerste sessie van het koppel (0 = die sessie)",
            "numeric",
            "scale",
            files,
        ),
        Variable(
            "attended",
            "Whether the person came to this session",
            "Of de persoon bij deze sessie was",
            "numeric",
            "nominal",
            files,
            ((0, "no", "nee"), (1, "yes", "ja")),
            "Empty when the therapist did not record who came.",
            "Leeg als de therapeut niet vastlegde wie er was.",
        ),
        Variable(
            "outcome_measure",
            "The outcome measure filled in before the session (its id in Dyade, e.g. csi-4)",
            "Het uitkomstinstrument dat voor de sessie werd ingevuld (het id in Dyade, "
            "bijv. csi-4)",
            "string",
            "nominal",
            files,
            (),
            "Empty when the person did not check in before this session.",
            "Leeg als de persoon voor deze sessie niet incheckte.",
        ),
        Variable(
            "outcome",
            "Score on the outcome measure before the session, scored with its published key",
            "Score op het uitkomstinstrument voor de sessie, gescoord met de gepubliceerde sleutel",
            "numeric",
            "scale",
            files,
            (),
            "Empty when the person did not check in, too many items were missing, or the "
            "measure's score is not a whole number (such scores are not exported).",
            "Leeg als de persoon niet incheckte, te veel vragen open bleven, of de score van "
            "het instrument geen geheel getal is (zulke scores worden niet geëxporteerd).",
        ),
        Variable(
            "outcome_status",
            "Status against the person's first outcome score (Jacobson & Truax 1991: reliable "
            "change from the measure's published SD and reliability, clinical significance by "
            "its published cut-off)",
            "Status ten opzichte van de eerste uitkomstscore van de persoon (Jacobson & Truax "
            "1991: betrouwbare verandering uit de gepubliceerde SD en betrouwbaarheid van het "
            "instrument, klinische significantie met het gepubliceerde afkappunt)",
            "numeric",
            "ordinal",
            files,
            STATUSES,
            "Empty at the first score, without a score, or when the measure has no published "
            "SD and reliability in Dyade (the CSI-4 has none).",
            "Leeg bij de eerste score, zonder score, of als Dyade voor het instrument geen "
            "gepubliceerde SD en betrouwbaarheid heeft (de CSI-4 heeft die niet).",
        ),
        *(
            Variable(
                name,
                f"Alliance check after the session (Dyade's own, not validated): {en}",
                f"Check over de werkrelatie na de sessie (van Dyade, niet gevalideerd): {nl}",
                "numeric",
                "scale",
                files,
                ALLIANCE_ENDS,
                *alliance_missing,
            )
            for name, en, nl in ALLIANCE_ITEMS
        ),
    )


def _number(value: int | None, low: int | None = None, high: int | None = None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, not {value!r}")
    if low is not None and high is not None and not low <= value <= high:
        raise ValueError(f"{value} lies outside {low}..{high}")
    return value


def rows(dyad: str, entries: Sequence[SessionEntry], *, csv: bool = False) -> list[list[Cell]]:
    """One couple's rows of ``sessions``, by session and role.

    Raises
    ------
    ValueError
        For a role other than A or B, two entries of one person for one session,
        an unknown status, an alliance answer outside 0 to 10 or a value that is
        not a whole number.
    """
    seen: set[tuple[int, str]] = set()
    found: list[tuple[int, str, list[Cell]]] = []
    for role, session, day, attended, measure, outcome, status, alliance in entries:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if (session, role) in seen:
            raise ValueError(f"two rows of {role} for session {session}")
        seen.add((session, role))
        if status is not None and status not in _STATUS_NUMBER:
            raise ValueError(f"unknown status {status!r}")
        if len(alliance) != len(ALLIANCE_ITEMS):
            raise ValueError("expected the four alliance answers")
        cells: list[Cell] = [
            dyad,
            f"{dyad}-{role}",
            role,
            _number(session),
            _number(day),
            None if attended is None else int(attended),
            measure or None,
            _number(outcome),
            None if status is None else _STATUS_NUMBER[status],
            *(_number(answer, ALLIANCE_MIN, ALLIANCE_MAX) for answer in alliance),
        ]
        found.append((session, role, cells))
    found.sort(key=lambda item: (item[0], item[1]))
    if not csv:
        return [cells for _session, _role, cells in found]
    return [[_text(cell) for cell in cells] for _session, _role, cells in found]


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        special = any(character in cell for character in ',"\n\r')
        return '"' + cell.replace('"', '""') + '"' if special else cell
    return str(cell)
