"""Forms of work and what needs attention first: the pure rules behind the caseload.

Forms of work (seed 004, "Relatietherapie in al haar vormen") and the tracks that
fit each. The passages each line rests on are quoted; where the seeds say nothing,
the line is marked as Dyade's own judgement.

- **Couple therapy** (004 a: "Samen onderzoeken wat er tussen jullie gebeurt, welke
  patronen spelen, hoe jullie opnieuw veiligheid kunnen bouwen"): EFT first (001: "Als
  ik tijdens het intakegesprek motivatie en liefde bespeur, ook al is het wat
  ondergesneeuwd, begin ik met het eft-protocol"), differentiation when the case
  switches (000, 001), safety first when it is too unsafe (001: "Als het te onveilig
  is, zal bijvoorbeeld het bespreken van een time-outprogramma ... meer aan de orde
  zijn").
- **Individual relationship therapy** (004 b: "Individuele sessies helpen begrijpen wat
  jij meebrengt in het geheel"): individual work; differentiation (self-soothing and a
  solid self need no partner in the room) and safety first are Dyade's own judgement.
- **Separation guidance** (004 c: "Soms ligt heling in het respectvol afronden, zodat
  beide partners verder kunnen zonder strijd"): not EFT, because the goals diverge
  (001: "Hier stopt het eft-verhaal. De doelen liggen te ver uit elkaar"); the work is
  "hoe zij het samenleven met elkaar draaglijk kunnen houden. Ik vraag wat ze met elkaar
  kunnen regelen en hoe ze voor zichzelf gaan zorgen" (001), which is differentiation
  (004: "rust, zelfzorg en eigen grond") or individual work, with safety first when needed.
- **Therapy after infidelity** (004 d: "begrijpen wat er gebeurd is — en of, en hoe,
  herstel mogelijk is"): EFT, differentiation and safety first all fit; the seeds give
  no track for it, so this line is Dyade's own judgement.

The attention order of the caseload is Dyade's own judgement, following the order of
the guidance (``dyade.clinic.guidance_precedence``: violence and safety first, then
contraindications, stopping EFT, switches, sex work last).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

COUPLE = "couple"
INDIVIDUAL = "individual"
SEPARATION = "separation"
INFIDELITY = "infidelity"

EFT = "eft"
DIFFERENTIATION = "differentiation"
SAFETY = "safety"
INDIVIDUAL_WORK = "individual"

FITTING_TRACKS: Mapping[str, tuple[str, ...]] = {
    COUPLE: (EFT, DIFFERENTIATION, SAFETY),
    INDIVIDUAL: (INDIVIDUAL_WORK, DIFFERENTIATION, SAFETY),
    SEPARATION: (DIFFERENTIATION, INDIVIDUAL_WORK, SAFETY),
    INFIDELITY: (EFT, DIFFERENTIATION, SAFETY),
}


def fits(form: str, track: str) -> bool:
    """Whether ``track`` fits the form of work ``form`` (an unknown form fits nothing)."""
    return track in FITTING_TRACKS.get(form, ())


def forms_for(kind: str) -> tuple[str, ...]:
    """The forms of work a case of ``kind`` can take: one partner has individual therapy."""
    if kind == "individual":
        return (INDIVIDUAL,)
    return (COUPLE, SEPARATION, INFIDELITY)


# Signal kinds by how soon they need the therapist (lower is sooner).
PRIORITY: Mapping[str, int] = {
    "safety": 1,
    "contraindication": 2,
    "stop": 3,
    "switch": 4,
    "referral": 4,
    "indication": 5,
    "therapist": 5,
    "sex": 6,
}
LOWEST = 9


@dataclass(frozen=True)
class Attention:
    """What a case on the caseload needs, as far as the list shows it (no details)."""

    safety: bool = False  # a sign in a safety screen or an open safety signal
    signal_kinds: tuple[str, ...] = ()  # kinds of the open signals
    # "deteriorated" (a reliable worsening), "not_on_track" or "" (unknown or fine)
    progress: str = ""
    questionnaires_waiting: int = 0
    no_diary_this_week: bool = False

    @property
    def signals(self) -> int:
        return len(self.signal_kinds)

    @property
    def first_kind(self) -> str | None:
        """The kind of the most urgent open signal."""
        if not self.signal_kinds:
            return None
        return min(self.signal_kinds, key=lambda kind: PRIORITY.get(kind, LOWEST))

    def rank(self) -> tuple[int, int, int]:
        """Sort key: smaller needs attention sooner.

        Safety first; then the most urgent open signal; then a course that goes the
        wrong way; then a diary that stopped; a case with nothing open comes last.
        """
        if self.safety:
            step = 0
        elif self.first_kind is not None:
            step = PRIORITY.get(self.first_kind, LOWEST)
        elif self.progress == "deteriorated":
            step = 7
        elif self.progress == "not_on_track":
            step = 8
        elif self.no_diary_this_week:
            step = 10
        else:
            step = 11
        return (step, -self.signals, -self.questionnaires_waiting)


def by_attention(items: Iterable[tuple[int, Attention]]) -> list[int]:
    """Case ids in the order they need attention (a stable sort: ties keep their order)."""
    return [case_id for case_id, attention in sorted(items, key=lambda item: item[1].rank())]
