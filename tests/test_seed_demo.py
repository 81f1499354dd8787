"""The demo practice: accounts as JSON, 60 days of diaries, fresh passwords each run."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min

from dyade.cases.models import Case, Partner
from dyade.diary.models import DiaryEntry
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


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
    lotte = DiaryEntry.objects.filter(partner__name="Lotte").values_list("desire", flat=True)
    ravi = DiaryEntry.objects.filter(partner__name="Ravi").values_list("desire", flat=True)
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
    assert Administration.objects.filter(status="open", partner__name="Yusuf").exists()
    eva = User.objects.get(email="eva.dewit@verbinding.example")
    case = Case.objects.get(label="Sanne & Thomas")
    body = client_for(eva).get(f"/cases/{case.pk}/questionnaires/").content.decode()
    assert "attachment-plot" in body  # ECR-RS for both, with the demo's placeholder texts
    assert "Dat ik me weer gezien voel" in body  # Sanne's hope, in her words
