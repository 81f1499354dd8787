"""What the columns of the research export mean: the bilingual codebook.

One :class:`~dyade.clinic.research.model.Variable` per column of the three
files: the identifiers first, then each exported diary field as ``X``, ``X_p``,
``X_A`` and ``X_B``, with its labelled values and what an empty cell means.
"""

from __future__ import annotations

from collections.abc import Sequence

from dyade.clinic.diary import FIELDS, SCALE_MAX, SCALE_MIN, DiaryField, FieldKind
from dyade.clinic.research import sessions
from dyade.clinic.research.model import FILES, PARTNER_SUFFIX, Code, Variable

_LABELS: dict[str, tuple[str, str]] = {
    "closeness": ("Closeness to the partner that day", "Nabijheid met de partner die dag"),
    "feeling_seen": (
        "Feeling seen by the partner that day",
        "Zich gezien voelen door de partner die dag",
    ),
    "stress": ("Stress that day", "Stress die dag"),
    "desire": ("Sexual desire that day", "Seksueel verlangen die dag"),
    "sexual_contact": (
        "Sexual contact between the partners that day",
        "Seksueel contact tussen de partners die dag",
    ),
    "conflict": (
        "Conflict between the partners that day",
        "Conflict tussen de partners die dag",
    ),
    "note": ("Diary note (free text)", "Notitie in het dagboek (vrije tekst)"),
    "contact_kind": ("Kind of sexual contact", "Soort seksueel contact"),
    "initiator": (
        "Who took the initiative, as the person who answered saw it",
        "Wie nam het initiatief, volgens wie het invulde",
    ),
    "bid_answer": (
        "Bid for sex that day and how it was answered",
        "Toenadering voor seks die dag en hoe die werd beantwoord",
    ),
    "sexual_satisfaction": (
        "Satisfaction with the sexual contact",
        "Tevredenheid over het seksuele contact",
    ),
    "motive": ("Main motive for sex that day", "Belangrijkste motief voor seks die dag"),
    "perceived_desire": (
        "The partner's sexual desire as the person perceived it",
        "Seksueel verlangen van de partner, zoals de persoon het inschatte",
    ),
    "perceived_mood": (
        "The partner's mood as the person perceived it",
        "Stemming van de partner, zoals de persoon die inschatte",
    ),
}

# The two ends of each rating, as the diary form shows them.
_ANCHORS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "closeness": (("not at all", "helemaal niet"), ("very close", "heel dichtbij")),
    "feeling_seen": (("not at all", "helemaal niet"), ("completely", "helemaal")),
    "stress": (("none", "geen"), ("a great deal", "heel veel")),
    "desire": (("none", "geen"), ("a great deal", "heel veel")),
    "sexual_satisfaction": (("not at all", "helemaal niet"), ("completely", "helemaal")),
    "perceived_desire": (("none", "geen"), ("a great deal", "heel veel")),
    "perceived_mood": (("very low", "heel slecht"), ("very good", "heel goed")),
}

# Choice codes in the order of the field's ``codes``: they become 1, 2, 3, ...
_CHOICES: dict[str, dict[str, tuple[str, str]]] = {
    "contact_kind": {
        "affection": ("affection (kissing, cuddling)", "genegenheid (zoenen, knuffelen)"),
        "touch": ("sexual touching", "seksueel aanraken"),
        "intercourse": ("intercourse", "geslachtsgemeenschap"),
        "other": ("something else", "iets anders"),
    },
    "initiator": {
        "me": ("the person who answered", "wie het invulde"),
        "partner": ("the partner", "de partner"),
        "both": ("both", "allebei"),
    },
    "bid_answer": {
        "no-bid": ("no bid", "geen toenadering"),
        "accepted": ("accepted", "erop ingegaan"),
        "loving-boundary": ("loving boundary", "liefdevolle grens"),
        "declined": ("declined", "afgewezen"),
    },
    "motive": {
        "closeness": ("to feel close", "om nabijheid te voelen"),
        "pleasure": ("for the pleasure", "voor het plezier"),
        "avoid-fight": ("to avoid a fight", "om ruzie te vermijden"),
        "keep-peace": ("to keep the peace", "om de vrede te bewaren"),
        "other": ("something else", "iets anders"),
    },
}

_YES_NO: tuple[Code, ...] = ((0, "no", "nee"), (1, "yes", "ja"))
_WEEKDAYS: tuple[Code, ...] = (
    (1, "Monday", "maandag"),
    (2, "Tuesday", "dinsdag"),
    (3, "Wednesday", "woensdag"),
    (4, "Thursday", "donderdag"),
    (5, "Friday", "vrijdag"),
    (6, "Saturday", "zaterdag"),
    (7, "Sunday", "zondag"),
)


def _value_codes(field: DiaryField) -> tuple[Code, ...]:
    """The labelled values of a diary field (the ends of a rating, every code otherwise)."""
    if field.kind is FieldKind.SCALE:
        (low_en, low_nl), (high_en, high_nl) = _ANCHORS[field.name]
        return ((SCALE_MIN, low_en, low_nl), (SCALE_MAX, high_en, high_nl))
    if field.kind is FieldKind.YES_NO:
        return _YES_NO
    if field.kind is FieldKind.CHOICE:
        texts = _CHOICES[field.name]
        return tuple((number, *texts[code]) for number, code in enumerate(field.codes, start=1))
    return ()


def _reasons(field: DiaryField) -> tuple[list[str], list[str]]:
    """Why a person who wrote that day may have left the field empty (en, nl)."""
    if field.kind is FieldKind.TEXT:
        return ["no note was written"], ["er geen notitie werd geschreven"]
    if not field.optional:
        return [], []
    en = ["the item was switched off for this couple", "it was not answered"]
    nl = ["het item voor dit koppel was uitgeschakeld", "het niet werd ingevuld"]
    if field.needs_contact:
        en.insert(0, "there was no sexual contact that day")
        nl.insert(0, "er die dag geen seksueel contact was")
    return en, nl


def _sentence(reasons: Sequence[str], when: str, conjunction: str) -> str:
    """``when a, when b or when c``."""
    clauses = [f"{when} {reason}" for reason in reasons]
    if len(clauses) <= 1:
        return "".join(clauses)
    return ", ".join(clauses[:-1]) + f" {conjunction} " + clauses[-1]


def _missing(field: DiaryField, suffix: str) -> tuple[str, str]:
    """What an empty cell of the field means in the column with ``suffix``."""
    en, nl = _reasons(field)
    if suffix == "":
        if not en:
            return (
                "Never empty in long; in pairwise empty when this person wrote no diary that day.",
                "Nooit leeg in long; in pairwise leeg als deze persoon die dag geen dagboek "
                "invulde.",
            )
        text_en = f"Empty {_sentence(en, 'when', 'or')}"
        text_nl = f"Leeg {_sentence(nl, 'als', 'of')}"
        if field.kind is FieldKind.TEXT:  # the note is only in long
            return text_en + ".", text_nl + "."
        return (
            text_en + "; in pairwise also when this person wrote no diary that day.",
            text_nl + "; in pairwise ook als deze persoon die dag geen dagboek invulde.",
        )
    who_en, who_nl = {
        PARTNER_SUFFIX: ("the partner", "de partner"),
        "_A": ("partner A", "partner A"),
        "_B": ("partner B", "partner B"),
    }[suffix]
    en = [f"{who_en} wrote no diary that day", *en]
    nl = [f"{who_nl} die dag geen dagboek invulde", *nl]
    return f"Empty {_sentence(en, 'when', 'or')}.", f"Leeg {_sentence(nl, 'als', 'of')}."


def _measure(field: DiaryField) -> str:
    return "scale" if field.kind is FieldKind.SCALE else "nominal"


def exported_fields(free_text: bool) -> tuple[DiaryField, ...]:
    """The diary fields that become columns, in the order of the form."""
    return tuple(f for f in FIELDS if free_text or f.kind is not FieldKind.TEXT)


def paired_fields() -> tuple[DiaryField, ...]:
    """The diary fields of the pairwise and dyad files (never free text)."""
    return exported_fields(free_text=False)


def _id_variables() -> tuple[Variable, ...]:
    return (
        Variable(
            "dyad",
            "Couple: its pseudonym in this study",
            "Koppel: het pseudoniem in deze studie",
            "string",
            "nominal",
            (*FILES, sessions.FILE),
        ),
        Variable(
            "person",
            "Person: the couple's pseudonym and the role",
            "Persoon: het pseudoniem van het koppel en de rol",
            "string",
            "nominal",
            ("long", "pairwise", sessions.FILE),
        ),
        Variable(
            "role",
            "Role A or B, assigned by the therapist; it does not stand for gender or anything "
            "else, so treat the partners as indistinguishable unless you have a reason not to",
            "Rol A of B, toegekend door de therapeut; staat niet voor gender of iets anders, "
            "dus behandel de partners als niet te onderscheiden tenzij je een reden hebt",
            "string",
            "nominal",
            ("long", "pairwise", sessions.FILE),
        ),
        Variable(
            "day",
            "Day of the diary: days since the couple's first entry (0 = that first day)",
            "Dag van het dagboek: dagen sinds de eerste invulling van het koppel "
            "(0 = die eerste dag)",
            "numeric",
            "scale",
            FILES,
        ),
        Variable(
            "weekday",
            "Day of the week (1 = Monday ... 7 = Sunday)",
            "Dag van de week (1 = maandag ... 7 = zondag)",
            "numeric",
            "nominal",
            FILES,
            _WEEKDAYS,
        ),
    )


_SUFFIXES = (  # column suffix, and what it adds to the English and Dutch label
    ("", "", ""),
    (PARTNER_SUFFIX, " (partner)", " (partner)"),
    ("_A", " (partner A)", " (partner A)"),
    ("_B", " (partner B)", " (partner B)"),
)


def _files_of(field: DiaryField, suffix: str) -> tuple[str, ...]:
    if field.kind is FieldKind.TEXT:
        return ("long",)
    return {"": ("long", "pairwise"), PARTNER_SUFFIX: ("pairwise",)}.get(suffix, ("dyad",))


def _field_variables(field: DiaryField) -> list[Variable]:
    """The codebook lines of one diary field: ``X``, ``X_p``, ``X_A`` and ``X_B``."""
    label_en, label_nl = _LABELS[field.name]
    text = field.kind is FieldKind.TEXT
    variables = []
    for suffix, more_en, more_nl in _SUFFIXES[:1] if text else _SUFFIXES:
        missing_en, missing_nl = _missing(field, suffix)
        variables.append(
            Variable(
                field.name + suffix,
                label_en + more_en,
                label_nl + more_nl,
                "string" if text else "numeric",
                _measure(field),
                _files_of(field, suffix),
                _value_codes(field),
                missing_en,
                missing_nl,
            )
        )
    return variables


def codebook_for(free_text: bool) -> tuple[Variable, ...]:
    """One line per column of the files: ids first, then each diary field, then the sessions."""
    variables = list(_id_variables())
    for field in exported_fields(free_text):
        variables.extend(_field_variables(field))
    variables.extend(sessions.variables())
    return tuple(variables)
