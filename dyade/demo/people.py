"""The demo's practices and staff, and the shape of a demo case and its partners.

The cases themselves, with each partner's diary profile and notes, are in
:mod:`dyade.demo.couples`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dyade.accounts.models import Role
from dyade.demo.diaries import Profile

DEMO_PRACTICE = "Praktijk De Verbinding (demo)"
OTHER_PRACTICE = "Relatiepraktijk Schelde (demo)"
DAYS = 60


@dataclass
class DemoPartner:
    name: str
    email: str
    language: str
    profile: Profile
    notes: dict[int, tuple[str, str]] = field(default_factory=dict)  # day index -> (text, vis)
    consent: bool | None = None  # their decision about the demo study (None: not decided)


@dataclass
class DemoCase:
    label: str
    kind: str
    practice: str
    therapists: list[str]
    partners: list[DemoPartner]
    conflict_rate: float = 0.2
    contact_rate: float = 0.2
    bid_rate: float = 0.15  # days without contact on which a bid for sex was turned down
    days: int = DAYS


ADMIN = "beheer@verbinding.example"
RESEARCHER = "onderzoek@verbinding.example"
STAFF = [
    # email, name, role, practice, language
    ("eva.dewit@verbinding.example", "Eva de Wit", Role.THERAPIST, DEMO_PRACTICE, "nl"),
    ("joris.maes@verbinding.example", "Joris Maes", Role.THERAPIST, DEMO_PRACTICE, "nl"),
    (ADMIN, "Anouk Bakker", Role.PRACTICE_ADMIN, DEMO_PRACTICE, "nl"),
    (RESEARCHER, "Dr. Lies Claes", Role.RESEARCHER, DEMO_PRACTICE, "en"),
    ("hanne.peeters@schelde.example", "Hanne Peeters", Role.THERAPIST, OTHER_PRACTICE, "nl"),
]
