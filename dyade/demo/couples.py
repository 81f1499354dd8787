"""The nine demo cases: who they are, their therapists, diary profiles and notes.

Sanne and Thomas show their cycle in the diary: Thomas takes the initiative
around sex, Sanne holds off. Each partner's ``consent`` is their decision about
the demo study (see :mod:`dyade.demo.research`). The order matters: every case
draws its core diary from one shared random stream, in this order.
"""

from __future__ import annotations

from dyade.cases.models import CaseKind
from dyade.demo.diaries import Profile
from dyade.demo.people import DEMO_PRACTICE, OTHER_PRACTICE, DemoCase, DemoPartner

CASES = [
    DemoCase(
        "Sanne & Thomas",
        CaseKind.COUPLE,
        DEMO_PRACTICE,
        ["eva.dewit@verbinding.example"],
        [
            DemoPartner(
                "Sanne",
                "sanne@partner.example",
                "nl",
                Profile(
                    closeness=4,
                    feeling_seen=3,
                    stress=6,
                    desire=5,
                    trend=2.5,
                    initiative=0.3,
                    avoidance=0.5,
                    reads_desire=1.0,  # his desire feels like pressure
                ),
                {
                    3: (
                        "Weer ruzie over de jassen van de kinderen. Ik wil gewoon dat hij "
                        "ziet wat ik allemaal doe.",
                        "private",
                    ),
                    20: ("Vanavond samen gekookt. Dat voelde even als vroeger.", "shared"),
                    45: (
                        "Ik merkte dat ik ging aandringen en heb het hardop gezegd. Hij "
                        "bleef erbij.",
                        "private",
                    ),
                },
                consent=True,
            ),
            DemoPartner(
                "Thomas",
                "thomas@partner.example",
                "nl",
                Profile(
                    closeness=5,
                    feeling_seen=4,
                    stress=5,
                    desire=6,
                    trend=2.0,
                    initiative=3.0,
                    avoidance=0.1,
                    reads_desire=-1.5,  # he reads "she does not want me"
                ),
                {
                    3: (
                        "Wat ik ook doe, het is nooit goed. Ik ben maar naar de schuur gegaan.",
                        "private",
                    ),
                    31: ("Ik heb haar verteld dat ik bang ben om te falen.", "shared"),
                },
                consent=True,
            ),
        ],
        conflict_rate=0.3,
        contact_rate=0.12,
        bid_rate=0.2,
    ),
    DemoCase(
        "Daan & Yusuf",
        CaseKind.COUPLE,
        DEMO_PRACTICE,
        ["joris.maes@verbinding.example", "eva.dewit@verbinding.example"],
        [
            DemoPartner(
                "Daan",
                "daan@partner.example",
                "nl",
                Profile(closeness=6, feeling_seen=5, stress=8, desire=4, trend=1.0, initiative=0.6),
                {
                    10: ("Weer tot tien uur gewerkt. We zijn allebei op.", "shared"),
                    40: ("Ik mis hem, ook als hij naast me zit.", "private"),
                },
                consent=True,
            ),
            DemoPartner(
                "Yusuf",
                "yusuf@partner.example",
                "en",
                Profile(closeness=6, feeling_seen=6, stress=7, desire=5, trend=1.0, initiative=1.2),
                {
                    12: ("Too tired to talk tonight. Not angry, just empty.", "private"),
                    50: ("We took the dog out together and actually laughed.", "shared"),
                },
                consent=None,  # has not decided about the study yet
            ),
        ],
        conflict_rate=0.1,
        contact_rate=0.15,
    ),
    DemoCase(
        "Lotte & Ravi",
        CaseKind.COUPLE,
        DEMO_PRACTICE,
        ["eva.dewit@verbinding.example"],
        [
            DemoPartner(
                "Lotte",
                "lotte@partner.example",
                "nl",
                Profile(
                    closeness=6,
                    feeling_seen=5,
                    stress=4,
                    desire=8,
                    trend=0.5,
                    initiative=2.5,
                    avoidance=0.05,
                    reads_desire=-1.0,
                ),
                {
                    7: (
                        "Ik heb weer toenadering gezocht en hij draaide zich om. Ik voel "
                        "me ongewenst.",
                        "private",
                    ),
                    33: ("Afgesproken: knuffelen zonder dat het ergens heen hoeft.", "shared"),
                },
                consent=True,
            ),
            DemoPartner(
                "Ravi",
                "ravi@partner.example",
                "nl",
                Profile(
                    closeness=6,
                    feeling_seen=6,
                    stress=5,
                    desire=2,
                    trend=0.5,
                    initiative=0.4,
                    avoidance=0.4,
                    reads_desire=1.5,  # feels pressure as soon as she touches him
                ),
                {
                    8: ("Ik voel druk zodra ze me aanraakt. Dan trek ik me terug.", "private"),
                    34: (
                        "Het knuffelen was fijn omdat ik wist dat het niet meer hoefde.",
                        "private",
                    ),
                },
                consent=True,
            ),
        ],
        conflict_rate=0.15,
        contact_rate=0.08,
        bid_rate=0.25,
    ),
    DemoCase(
        "Marieke (individueel)",
        CaseKind.INDIVIDUAL,
        DEMO_PRACTICE,
        ["joris.maes@verbinding.example"],
        [
            DemoPartner(
                "Marieke",
                "marieke@partner.example",
                "nl",
                Profile(closeness=3, feeling_seen=3, stress=7, desire=3, trend=1.5),
                {
                    5: (
                        "Ik weet niet of ik nog wil blijven. Dat durf ik hier alleen te schrijven.",
                        "private",
                    ),
                    38: ("Ik heb voor het eerst gezegd wat ik nodig heb.", "private"),
                },
            ),
        ],
        conflict_rate=0.25,
        contact_rate=0.05,
    ),
    DemoCase(
        "Ines & Bram",
        CaseKind.COUPLE,
        OTHER_PRACTICE,
        ["hanne.peeters@schelde.example"],
        [
            DemoPartner(
                "Ines",
                "ines@partner.example",
                "nl",
                Profile(closeness=5, feeling_seen=5, stress=5, desire=5, trend=1.0),
                {2: ("Eerste dag van het dagboek.", "private")},
            ),
            DemoPartner(
                "Bram",
                "bram@partner.example",
                "nl",
                Profile(closeness=5, feeling_seen=4, stress=6, desire=6, trend=1.0),
                {2: ("Spannend om dit bij te houden.", "shared")},
            ),
        ],
        days=30,
    ),
    # Four small couples of the demo practice, mostly there for the study. They
    # come last so that the cases above keep the diaries they always had.
    DemoCase(
        "Emma & Jonas",
        CaseKind.COUPLE,
        DEMO_PRACTICE,
        ["joris.maes@verbinding.example"],
        [
            DemoPartner(
                "Emma",
                "emma@partner.example",
                "nl",
                Profile(closeness=7, feeling_seen=6, stress=4, desire=6, trend=0.5),
                consent=True,
            ),
            DemoPartner(
                "Jonas",
                "jonas@partner.example",
                "nl",
                Profile(closeness=6, feeling_seen=6, stress=5, desire=6, trend=0.5),
                consent=True,
            ),
        ],
        conflict_rate=0.1,
        contact_rate=0.25,
    ),
    DemoCase(
        "Noor & Wout",
        CaseKind.COUPLE,
        DEMO_PRACTICE,
        ["joris.maes@verbinding.example"],
        [
            DemoPartner(
                "Noor",
                "noor@partner.example",
                "nl",
                Profile(closeness=5, feeling_seen=4, stress=6, desire=4, trend=1.5, initiative=0.7),
                consent=True,
            ),
            DemoPartner(
                "Wout",
                "wout@partner.example",
                "nl",
                Profile(
                    closeness=5, feeling_seen=5, stress=6, desire=5, trend=1.5, reads_desire=-0.5
                ),
                consent=True,
            ),
        ],
        conflict_rate=0.25,
        contact_rate=0.15,
    ),
    DemoCase(
        "Lien & Marthe",
        CaseKind.COUPLE,
        DEMO_PRACTICE,
        ["joris.maes@verbinding.example"],
        [
            DemoPartner(
                "Lien",
                "lien@partner.example",
                "nl",
                Profile(closeness=6, feeling_seen=5, stress=5, desire=5, trend=1.0),
                consent=True,
            ),
            DemoPartner(
                "Marthe",
                "marthe@partner.example",
                "nl",
                Profile(
                    closeness=5,
                    feeling_seen=5,
                    stress=7,
                    desire=4,
                    trend=1.0,
                    initiative=0.8,
                    avoidance=0.3,
                ),
                consent=True,
            ),
        ],
        conflict_rate=0.15,
        contact_rate=0.15,
    ),
    DemoCase(
        "Femke & Pieter",
        CaseKind.COUPLE,
        DEMO_PRACTICE,
        ["joris.maes@verbinding.example"],
        [
            DemoPartner(
                "Femke",
                "femke@partner.example",
                "nl",
                Profile(
                    closeness=4,
                    feeling_seen=4,
                    stress=6,
                    desire=3,
                    trend=1.0,
                    initiative=0.5,
                    avoidance=0.35,
                ),
                consent=True,
            ),
            DemoPartner(
                "Pieter",
                "pieter@partner.example",
                "nl",
                Profile(closeness=5, feeling_seen=4, stress=5, desire=7, trend=1.0, initiative=2.0),
                consent=False,  # so this couple does not take part
            ),
        ],
        conflict_rate=0.2,
        contact_rate=0.12,
        bid_rate=0.2,
    ),
]
