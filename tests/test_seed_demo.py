"""The demo practice: accounts as JSON, 60 days of diaries, the study, fresh passwords each run."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min

from dyade.cases.models import Case, Partner
from dyade.diary.models import DiaryEntry
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _named(name: str) -> Partner:
    """The demo partner called ``name`` (names are encrypted: no SQL look-up by name)."""
    return next(partner for partner in Partner.objects.all() if partner.name == name)


def seed() -> list[dict[str, str]]:
    out = io.StringIO()
    call_command("seed_demo", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_accounts_json_has_every_role_and_the_promised_keys() -> None:
    accounts = seed()
    roles = [a["role"] for a in accounts]
    assert roles.count("practice_admin") >= 1
    assert roles.count("researcher") >= 1
    for account in accounts:
        keys = {"email", "password", "role", "practice"}
        if account["role"] == "partner":
            keys |= {"case", "partner"}
            assert account["partner"] in ("A", "B")
        assert set(account) == keys
    therapists = [a for a in accounts if a["role"] == "therapist"]
    by_practice: dict[str, int] = {}
    for therapist in therapists:
        by_practice[therapist["practice"]] = by_practice.get(therapist["practice"], 0) + 1
    assert sorted(by_practice.values()) == [1, 2]


def test_the_demo_cases_and_their_60_days() -> None:
    seed()
    kinds = dict(Case.objects.values_list("label", "kind"))
    assert list(kinds.values()).count("couple") >= 3
    assert "individual" in kinds.values()
    stats = (
        DiaryEntry.objects.values("partner")
        .annotate(n=Count("id"), first=Min("date"), last=Max("date"))
        .order_by()
    )
    spans = [(row["last"] - row["first"]).days + 1 for row in stats]
    assert max(spans) == 60
    assert all(row["n"] >= 0.75 * span for row, span in zip(stats, spans, strict=True))
    notes = DiaryEntry.objects.exclude(note="")
    assert notes.filter(note_visibility="private").exists()
    assert notes.filter(note_visibility="shared").exists()


def test_desire_discrepancy_case_shows_a_large_gap() -> None:
    seed()
    lotte = DiaryEntry.objects.filter(partner=_named("Lotte")).values_list("desire", flat=True)
    ravi = DiaryEntry.objects.filter(partner=_named("Ravi")).values_list("desire", flat=True)
    assert sum(lotte) / len(lotte) - sum(ravi) / len(ravi) >= 4


def test_same_sex_couple_exists_without_gender_fields() -> None:
    seed()
    assert Partner.objects.filter(case__label="Daan & Yusuf").count() == 2


def test_a_second_run_keeps_the_data_and_renews_every_password() -> None:
    first = seed()
    entries = DiaryEntry.objects.count()
    second = seed()
    assert DiaryEntry.objects.count() == entries
    assert [a["email"] for a in first] == [a["email"] for a in second]
    assert all(a["password"] != b["password"] for a, b in zip(first, second, strict=True))


def test_every_demo_login_works() -> None:
    for account in seed():
        client = client_for(None)
        response = client.post(
            "/account/login/", {"username": account["email"], "password": account["password"]}
        )
        assert response.status_code == 302, account["email"]


def test_the_demo_has_intakes_to_compare_and_one_to_resume() -> None:
    from dyade.accounts.models import User
    from dyade.questionnaires.models import Administration

    seed()
    sent = Administration.objects.filter(status="submitted", instrument="dyade-intake")
    assert {a.partner.name for a in sent} >= {"Sanne", "Thomas"}
    assert Administration.objects.filter(status="open", partner=_named("Yusuf")).exists()
    eva = User.objects.get(email="eva.dewit@verbinding.example")
    case = Case.objects.get(label="Sanne & Thomas")
    body = client_for(eva).get(f"/cases/{case.pk}/questionnaires/").content.decode()
    assert "attachment-plot" in body  # ECR-RS for both, with the demo's placeholder texts
    assert "Dat ik me weer gezien voel" in body  # Sanne's hope, in her words


STUDY_COUPLES = {"Sanne & Thomas", "Lotte & Ravi", "Emma & Jonas", "Noor & Wout", "Lien & Marthe"}
NEW_COUPLES = {
    "Emma & Jonas": ("emma@partner.example", "jonas@partner.example"),
    "Noor & Wout": ("noor@partner.example", "wout@partner.example"),
    "Lien & Marthe": ("lien@partner.example", "marthe@partner.example"),
    "Femke & Pieter": ("femke@partner.example", "pieter@partner.example"),
}


def test_the_demo_study_is_open_and_names_its_researcher() -> None:
    from django.utils import timezone

    from dyade.research.models import Study

    seed()
    study = Study.objects.get(title="Samen door de dag")
    assert study.practice.name == "Praktijk De Verbinding (demo)"
    assert study.status == "open"
    assert study.opened_at is not None
    assert study.created_by.email == "beheer@verbinding.example"
    assert list(study.researchers.values_list("email", flat=True)) == [
        "onderzoek@verbinding.example"
    ]
    assert study.allows_free_text is False
    assert study.data_from == timezone.localdate() - dt.timedelta(days=59)
    assert study.data_from == DiaryEntry.objects.aggregate(first=Min("date"))["first"]
    assert "vrijwillig" in study.information_nl
    assert "voluntary" in study.information_en


def test_five_couples_take_part_and_daan_and_yusuf_are_not_among_them() -> None:
    from dyade.accounts.models import User
    from dyade.research import access as research_access
    from dyade.research.models import Consent, Study

    seed()
    study = Study.objects.get(title="Samen door de dag")
    researcher = User.objects.get(email="onderzoek@verbinding.example")
    admin = User.objects.get(email="beheer@verbinding.example")
    assert research_access.study_size(researcher, study) == 5
    assert research_access.study_size(admin, study) == 5
    taking_part = set(
        research_access.study_cases(researcher, study).values_list("label", flat=True)
    )
    assert taking_part == STUDY_COUPLES
    assert "Daan & Yusuf" not in taking_part
    decisions = dict(Consent.objects.values_list("partner__name", "given"))
    assert decisions["Daan"] is True
    assert "Yusuf" not in decisions  # not decided yet
    assert (decisions["Femke"], decisions["Pieter"]) == (True, False)
    assert "Marieke" not in decisions


def test_the_four_new_couples_are_joris_cases_with_diaries_only() -> None:
    from dyade.questionnaires.models import Administration
    from dyade.sessions.models import Observation

    accounts = {a["email"]: a for a in seed()}
    for label, emails in NEW_COUPLES.items():
        case = Case.objects.get(label=label)
        assert case.kind == "couple"
        assert case.practice.name == "Praktijk De Verbinding (demo)"
        assert [t.email for t in case.therapists.all()] == ["joris.maes@verbinding.example"]
        partners = list(case.partners.order_by("slot"))
        assert [p.email for p in partners] == list(emails)
        assert [accounts[email]["case"] for email in emails] == [label, label]
        for partner in partners:
            entries = DiaryEntry.objects.filter(partner=partner)
            assert entries.count() >= 45
            assert entries.exclude(bid_answer="").count() == entries.count()
            assert entries.filter(perceived_desire__isnull=False).exists()
        assert not Administration.objects.filter(case=case).exists()
        assert not Observation.objects.filter(case=case).exists()


def test_stored_optional_items_follow_the_diary_rules() -> None:
    from dyade.clinic.diary import OPTIONAL, check_optional

    seed()
    for entry in DiaryEntry.objects.all():
        values = {name: getattr(entry, name) for name in OPTIONAL}
        assert check_optional(values, entry.sexual_contact) == {}, entry


def test_thomas_initiates_more_often_than_sanne() -> None:
    seed()
    sanne = {e.date: e for e in DiaryEntry.objects.filter(partner=_named("Sanne"))}
    thomas = {e.date: e for e in DiaryEntry.objects.filter(partner=_named("Thomas"))}
    answers = [e.initiator for e in sanne.values() if e.initiator]
    assert answers  # the diaries contain initiator answers
    initiated = {
        name: sum(1 for e in entries.values() if e.initiator in ("me", "both"))
        for name, entries in (("Sanne", sanne), ("Thomas", thomas))
    }
    assert initiated["Thomas"] > initiated["Sanne"]
    # Their answers agree, each from their own point of view.
    agree = {("me", "partner"), ("partner", "me"), ("both", "both")}
    for date in set(sanne) & set(thomas):
        if sanne[date].sexual_contact:
            assert (sanne[date].initiator, thomas[date].initiator) in agree


def test_the_demo_caseload_is_in_the_order_of_attention_without_a_task_worker() -> None:
    """``make run`` starts no task worker: seeding works out every caseload's order."""
    from django.db.models import F

    from dyade.overview.models import AttentionState

    seed()
    states = AttentionState.objects.all()
    assert states.count() == Case.therapists.through.objects.count() > 0
    assert not states.filter(computed_at__isnull=True).exists()
    assert not states.exclude(computed_marks=F("marks")).exists()
    # an open case that needs attention is ranked above one worked out as needing none
    assert states.filter(case__status="open").values("rank").distinct().count() > 1
