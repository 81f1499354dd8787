"""The case formulation: stable findings folded from the history of session notes.

A finding such as "the partners' goals diverge too far" is not a session event:
once noted, it holds until the therapist notes otherwise. This module walks the
observations oldest first and keeps, for each finding, its current state:

* ``present`` -- the last note about it said it is there;
* ``gone`` -- the last note about it said it is not (or no longer) there;
* ``unknown`` -- no session note has said anything about it yet.

A session that leaves a finding blank changes nothing: the finding keeps the
state, the value and the date of the note that last confirmed it. Missing stays
unknown, never "no". The rules of :mod:`dyade.clinic.guidance` read these
states, and the web layer shows them on the observation form ("as before").

One more finding comes from the track, not from the notes: why the case
switched to its current track (the signals the therapist accepted then).

Pure: no Django. Message ids are English and marked with ``gettext_noop``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dyade.clinic.snapshot import Observation, Snapshot, Track

PRESENT = "present"
GONE = "gone"
UNKNOWN = "unknown"


def gettext_noop(message: str) -> str:
    """Mark a message for translation; the web layer translates it when it shows it."""
    return message


@dataclass(frozen=True)
class Finding:
    """One finding of the formulation, as the session notes leave it."""

    id: str
    label: str  # English message id
    field: str  # the observation field it is read from ("track.switched_for" for the switch)
    state: str = UNKNOWN
    value: Any = None  # the last noted value: true/false, who ("A", "B", "both"), signal ids
    date: str | None = None  # the date of the note that last confirmed the state
    index: int | None = None  # that note's place in the observations, 0 = the oldest
    since: str | None = None  # the date of the first note of the current run of this state

    @property
    def present(self) -> bool:
        return self.state == PRESENT

    @property
    def gone(self) -> bool:
        return self.state == GONE

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "field": self.field,
            "state": self.state,
            "value": list(self.value) if isinstance(self.value, tuple) else self.value,
            "date": self.date,
            "index": self.index,
            "since": self.since,
        }


def _flag(value: Any) -> str | None:
    """A true/false note: true is present, false is gone."""
    if value is None:
        return None
    return PRESENT if value else GONE


def _love(value: Any) -> str | None:
    """``love_felt``: the finding is that the therapist *cannot* find the love."""
    if value is None:
        return None
    return GONE if value else PRESENT


def _who(value: Any) -> str | None:
    """A "by whom" note: a partner or both is present; "none" is gone."""
    if value is None:
        return None
    return GONE if value == "none" else PRESENT


@dataclass(frozen=True)
class _Spec:
    id: str
    field: str
    label: str
    state_of: Callable[[Any], str | None]


# The findings, in the order the therapist meets them (contraindications, stop, switch).
SPECS: tuple[_Spec, ...] = (
    _Spec(
        "partner_left",
        "partner_left_by",
        gettext_noop("A partner has emotionally left the relationship"),
        _who,
    ),
    _Spec("goals_diverge", "goals_diverge", gettext_noop("Their own goals diverge too far"), _flag),
    _Spec("hidden_agenda", "hidden_agenda", gettext_noop("A hidden agenda"), _flag),
    _Spec("love_not_found", "love_felt", gettext_noop("The therapist cannot find the love"), _love),
    _Spec(
        "destructive_claim",
        "destructive_claim_by",
        gettext_noop("Too destructive a claim on the other"),
        _who,
    ),
    _Spec(
        "claim_complied",
        "claim_complied",
        gettext_noop("The other goes along with that claim"),
        _flag,
    ),
    _Spec(
        "powerlessness",
        "powerlessness",
        gettext_noop("Powerlessness: the anxiety as a third person in the room"),
        _flag,
    ),
    _Spec(
        "connection_not_in_daily_life",
        "connection_not_in_daily_life",
        gettext_noop("The connection in the session does not reach daily life"),
        _flag,
    ),
    _Spec(
        "approval_dependence",
        "approval_dependence",
        gettext_noop("Both hang on the other's approval"),
        _flag,
    ),
    _Spec(
        "comfort_zone",
        "comfort_zone_routine",
        gettext_noop("Comfort zone and sexual routine"),
        _flag,
    ),
)
SWITCHED_FOR = "switched_for"
SWITCHED_FOR_LABEL = gettext_noop("Why the case switched to its current track")


@dataclass(frozen=True)
class Formulation:
    findings: tuple[Finding, ...]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __getitem__(self, finding_id: str) -> Finding:
        for finding in self.findings:
            if finding.id == finding_id:
                return finding
        raise KeyError(finding_id)

    def present(self, finding_id: str) -> bool:
        return self[finding_id].present

    def gone(self, finding_id: str) -> bool:
        return self[finding_id].gone

    def as_json(self) -> list[dict[str, Any]]:
        return [finding.as_json() for finding in self.findings]


def _fold(spec: _Spec, observations: tuple[Observation, ...]) -> Finding:
    finding = Finding(spec.id, spec.label, spec.field)
    for index, observation in enumerate(observations):
        value = getattr(observation, spec.field)
        state = spec.state_of(value)
        if state is None:
            if spec.id == "claim_complied" and observation.destructive_claim_by == "none":
                finding = Finding(spec.id, spec.label, spec.field)  # no claim to go along with
            continue
        same = state == finding.state and value == finding.value
        finding = Finding(
            spec.id,
            spec.label,
            spec.field,
            state=state,
            value=value,
            date=observation.date,
            index=index,
            since=finding.since if same else observation.date,
        )
    return finding


def _switched_for(track: Track) -> Finding:
    if not track.switched_for:
        return Finding(SWITCHED_FOR, SWITCHED_FOR_LABEL, "track.switched_for")
    return Finding(
        SWITCHED_FOR,
        SWITCHED_FOR_LABEL,
        "track.switched_for",
        state=PRESENT,
        value=track.switched_for,
        date=track.since,
        since=track.since,
    )


def formulation(snapshot: Snapshot) -> Formulation:
    """Every finding of the case with its state and the date it was last confirmed."""
    return _formulation(snapshot.observations, snapshot.track)


@lru_cache(maxsize=1)
def _formulation(observations: tuple[Observation, ...], track: Track) -> Formulation:
    # Every rule of one evaluation reads the same formulation; the notes are frozen
    # (hashable), so it is folded once. Only the last one is kept: no case's notes stay
    # in memory beyond the next evaluation.
    folded = tuple(_fold(spec, observations) for spec in SPECS)
    return Formulation((*folded, _switched_for(track)))


def last_noted(snapshot: Snapshot, name: str) -> tuple[Any, int | None]:
    """The newest value noted for an observation field, and its index; (None, None) if never."""
    for index in range(len(snapshot.observations) - 1, -1, -1):
        value = getattr(snapshot.observations[index], name)
        if value is not None:
            return value, index
    return None, None
