"""The client's rights: all my data (a page and a zip) and who has seen my data.

A partner's copy holds their own data and what the other partner shares with them,
never the other partner's private data; the safety part stays off the phone and is in
the practice's copy for a written request. Everyone else is refused. "Who has seen my
data" lists the therapist's reads and never the other partner's activity.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dyade.accounts.models import Practice, Role
from dyade.audit.models import AuditEvent, Outcome
from dyade.exercises.models import Assignment, Log
from dyade.reflection.models import TherapistProfile
from dyade.research.models import Consent, Export
from dyade.sessions.models import CycleVersion, Observation
from tests.conftest import (
    A_INTAKE_HOPE,
    A_PRIVATE,
    A_SHARED,
    B_INTAKE_HOPE,
    B_PRIVATE,
    World,
    client_for,
    make_entry,
    make_user,
)

MY_DATA = reverse("rights:my_data")
DOWNLOAD = reverse("rights:download")
SEEN = reverse("rights:seen")
COPIES = reverse("rights:copy_request")
B_SHARED = "B-shared-note-marker"
B_LOG_NOTE = "B-private-log-marker"
PARTNER_KEYS = {
    "format",
    "version",
    "subject",
    "made",
    "made_for",
    "reference",
    "language",
    "person",
    "case",
    "diary",
    "questionnaires",
    "exercises",
    "readings",
    "reminders",
    "research",
    "pattern_maps",
    "closing_summary",
    "shared_with_me",
}


def unzip(response: Any) -> tuple[dict[str, Any], str]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["README.txt", "data.json"]
        data = json.loads(archive.read("data.json"))
        readme = archive.read("README.txt").decode()
    return data, readme


def events(name: str, **where: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=name, **where))


def give_couple_exercise(world: World) -> Assignment:
    return Assignment.objects.create(
        case=world.case, partner=None, slug="sensate-focus", assigned_by=world.therapist
    )


# --- the partner's own copy --------------------------------------------------------


def test_a_partners_download_holds_their_data_and_none_of_the_others_private(
    world: World,
) -> None:
    make_entry(
        world.partner_b,
        timezone.localdate() - dt.timedelta(days=2),
        note=B_SHARED,
        note_visibility="shared",
    )
    data, readme = unzip(client_for(world.user_a).get(DOWNLOAD))
    text = json.dumps(data, ensure_ascii=False)
    assert set(data) == PARTNER_KEYS
    assert data["format"] == "dyade-my-data" and data["version"] == 1
    assert data["subject"] == "partner" and data["made_for"] == "self"
    assert data["person"]["name"] == "Sanne" and data["person"]["email"] == "a@partner.example"
    assert data["case"]["therapists"] == ["Eva"] and data["case"]["partner"] == "Thomas"
    # own data: both diary notes, the private intake hope, the questionnaires
    assert A_PRIVATE in text and A_SHARED in text and A_INTAKE_HOPE in text
    days = {entry["date"]: entry for entry in data["diary"]}
    private_day = world.entry_a_private.date.isoformat()
    assert days[private_day]["note"] == A_PRIVATE and days[private_day]["desire"] == 9
    assert {"closeness", "feeling_seen", "stress", "desire", "note_visibility"} <= set(
        days[private_day]
    )
    # the other partner: shared fields and shared notes only
    assert B_PRIVATE not in text and B_INTAKE_HOPE not in text
    shared = data["shared_with_me"]
    assert shared["from"] == "Thomas"
    assert B_SHARED in [entry.get("note") for entry in shared["diary"]]
    for entry in shared["diary"]:
        assert "desire" not in entry and "feeling_seen" not in entry and "conflict" not in entry
    # the safety part stays off the phone, and the readme says how to get it
    intake = next(q for q in data["questionnaires"] if q["instrument"].startswith("dyade-intake"))
    ids = {answer["id"] for answer in intake["answers"]}
    assert "story.hopes" in ids and "safety.physical" not in ids and "safety.fear" not in ids
    assert intake["safety_part_left_out"] is True and "safety_part" not in intake
    hits = next(q for q in data["questionnaires"] if q["instrument"].startswith("hits"))
    assert hits["answers"] == [] and hits["safety_part_left_out"] is True
    assert "schriftelijk" in readme  # Dutch by default: "vraag je praktijk schriftelijk"
    assert "data.json" in readme


def test_every_download_writes_one_event_per_subject(world: World) -> None:
    client_for(world.user_a).get(DOWNLOAD)
    mine = events("rights.export.read", partner_id=world.partner_a.pk)
    assert len(mine) == 1 and mine[0].user_id == world.user_a.pk
    assert mine[0].outcome == Outcome.SUCCESS
    theirs = events("rights.shared.read", partner_id=world.partner_b.pk)
    assert len(theirs) == 1 and theirs[0].user_id == world.user_a.pk
    client_for(world.user_a).get(MY_DATA)
    assert len(events("rights.data.read", partner_id=world.partner_a.pk)) == 1


def test_the_readable_page_shows_the_same_and_nothing_private_of_the_other(
    world: World,
) -> None:
    page = client_for(world.user_a).get(MY_DATA)
    assert page.status_code == 200
    html = page.content.decode()
    assert A_PRIVATE in html and A_SHARED in html and A_INTAKE_HOPE in html
    assert B_PRIVATE not in html and B_INTAKE_HOPE not in html
    assert DOWNLOAD in html and SEEN in html


def test_the_other_partners_copy_holds_only_what_was_shared_with_them(world: World) -> None:
    data, _readme = unzip(client_for(world.user_b).get(DOWNLOAD))
    text = json.dumps(data, ensure_ascii=False)
    assert B_PRIVATE in text and B_INTAKE_HOPE in text  # their own
    assert A_SHARED in text  # what Sanne shares
    assert A_PRIVATE not in text and A_INTAKE_HOPE not in text
    assert "sometimes" not in json.dumps(data["questionnaires"])  # A's safety answer


def test_a_log_with_nothing_shared_does_not_reach_the_other_partners_copy(
    world: World,
) -> None:
    assignment = give_couple_exercise(world)
    Log.objects.create(
        assignment=assignment,
        partner=world.partner_b,
        date=timezone.localdate(),
        values_json=json.dumps({"note": B_LOG_NOTE, "feeling": "aversion"}),
        shared=False,
    )
    data, _readme = unzip(client_for(world.user_a).get(DOWNLOAD))
    assert B_LOG_NOTE not in json.dumps(data)
    assert data["shared_with_me"]["exercises"] == []
    mine, _readme = unzip(client_for(world.user_b).get(DOWNLOAD))
    assert B_LOG_NOTE in json.dumps(mine, ensure_ascii=False)


def test_the_other_partner_cannot_ask_for_someone_elses_copy(world: World) -> None:
    client_b = client_for(world.user_b)
    for query in (
        {"partner": world.partner_a.pk},
        {"user": world.user_a.pk},
        {"email": "a@partner.example"},
    ):
        data, _readme = unzip(client_b.get(DOWNLOAD, query))
        assert data["person"]["name"] == "Thomas" and A_PRIVATE not in json.dumps(data)
    post = client_b.post(COPIES, {"email": "a@partner.example", "reference": "x"})
    assert post.status_code == 403
    assert not events("rights.export.read", partner_id=world.partner_a.pk)


@pytest.mark.parametrize(
    "who", ["therapist", "colleague", "other_therapist", "admin", "researcher"]
)
def test_only_partners_have_a_copy_page(as_person: Any, who: str) -> None:
    for url in (MY_DATA, DOWNLOAD, SEEN):
        assert as_person(who).get(url).status_code == 403


def test_a_stranger_is_sent_to_log_in(as_person: Any) -> None:
    for url in (MY_DATA, DOWNLOAD, SEEN, COPIES):
        response = as_person("stranger").get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_page_costs_the_same_with_a_longer_diary(world: World) -> None:
    client = client_for(world.user_a)
    client.get(MY_DATA)  # warm the prepared statements and content caches

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(MY_DATA).status_code == 200
        return len(queries)

    before = cost()
    today = timezone.localdate()
    for days in range(10, 40):
        make_entry(world.partner_a, today - dt.timedelta(days=days), note=f"dag {days}")
        make_entry(world.partner_b, today - dt.timedelta(days=days), note_visibility="shared")
    assert cost() == before


# --- the practice's copy for a written request -----------------------------------------


def test_the_practice_copy_of_a_partner_holds_the_safety_part(world: World) -> None:
    response = client_for(world.admin).post(
        COPIES, {"email": "A@partner.example", "reference": "brief 3 maart"}
    )
    data, readme = unzip(response)
    assert set(data) == PARTNER_KEYS
    assert data["made_for"] == "written_request" and data["reference"] == "brief 3 maart"
    intake = next(q for q in data["questionnaires"] if q["instrument"].startswith("dyade-intake"))
    safety = {answer["id"] for answer in intake["safety_part"]}
    assert {"safety.physical", "safety.fear"} <= safety
    assert B_PRIVATE not in json.dumps(data) and "brief 3 maart" in readme
    (event,) = events("rights.export.read", partner_id=world.partner_a.pk)
    assert event.user_id == world.admin.pk and "brief 3 maart" in event.detail
    assert len(events("rights.shared.read", partner_id=world.partner_b.pk)) == 1


def test_the_practice_copy_of_a_therapist(world: World) -> None:
    TherapistProfile.objects.create(user=world.therapist, attachment_anxiety="3.50", balance_calm=6)
    Observation.objects.create(
        case=world.case, created_by=world.therapist, note="klinische notitie 7731"
    )
    CycleVersion.objects.create(
        case=world.case, number=1, data_json="{}", created_by=world.therapist
    )
    response = client_for(world.admin).post(
        COPIES, {"email": "therapist@one.example", "reference": "verzoek 12"}
    )
    data, readme = unzip(response)
    assert set(data) >= {"person", "profile", "cases", "written"}
    assert data["subject"] == "therapist" and data["person"]["name"] == "Eva"
    assert data["profile"]["attachment_anxiety"] == 3.5 and data["profile"]["balance_calm"] == 6
    assert data["cases"] == [{"case": "Sanne & Thomas", "kind": "Koppel"}]
    assert len(data["written"]["observations"]) == 1 and len(data["written"]["cycle_maps"]) == 1
    text = json.dumps(data, ensure_ascii=False)
    assert "klinische notitie 7731" not in text and A_PRIVATE not in text
    assert "verzoek 12" in readme and "klinische tekst" in readme
    (event,) = events("rights.export.read", object_id=str(world.therapist.pk))
    assert event.object_type == "accounts.User" and event.user_id == world.admin.pk


def test_another_practices_admin_cannot_make_a_copy(world: World) -> None:
    other_admin = make_user("admin@two.example", Role.PRACTICE_ADMIN, world.other_practice)
    for email in ("a@partner.example", "therapist@one.example", "nobody@example.nl"):
        response = client_for(other_admin).post(COPIES, {"email": email, "reference": "x"})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        assert "Sanne" not in response.content.decode()
    assert len(events("rights.export.read", outcome=Outcome.DENIED)) == 3
    assert not events("rights.export.read", outcome=Outcome.SUCCESS)


def test_an_admin_cannot_copy_a_researcher_an_admin_or_another_practices_partner(
    world: World,
) -> None:
    world.other_partner.user = make_user("ines@partner.example", Role.PARTNER, world.other_practice)
    world.other_partner.save()
    for email in ("research@one.example", "admin@one.example", "ines@partner.example"):
        response = client_for(world.admin).post(COPIES, {"email": email, "reference": "x"})
        assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "who", ["therapist", "colleague", "other_therapist", "researcher", "partner_a", "partner_b"]
)
def test_nobody_but_a_practice_admin_reaches_the_copy_form(as_person: Any, who: str) -> None:
    client = as_person(who)
    assert client.get(COPIES).status_code == 403
    post = client.post(COPIES, {"email": "a@partner.example", "reference": "x"})
    assert post.status_code == 403


@pytest.mark.parametrize(
    "email", ["", "geen-adres", "a\x00@partner.example", "x" * 300 + "@example.nl"]
)
def test_bad_input_on_the_copy_form_is_refused_calmly(world: World, email: str) -> None:
    response = client_for(world.admin).post(COPIES, {"email": email, "reference": "r\x00"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


# --- who has seen my data ---------------------------------------------------------------


def seen_rows(client: Any, query: str = "") -> list[dict[str, Any]]:
    response = client.get(SEEN + query)
    assert response.status_code == 200
    return response.context["rows"]


def test_the_therapists_reads_are_listed_by_name_and_role(world: World) -> None:
    assert client_for(world.therapist).get(f"/cases/{world.case.pk}/").status_code == 200
    rows = seen_rows(client_for(world.user_a))
    assert any(row["who"] == "Eva, therapeut" and "dagboek" in row["what"] for row in rows)


def test_the_other_partners_activity_never_appears(world: World) -> None:
    client_b = client_for(world.user_b)
    client_b.get("/me/")  # reads what Sanne shares
    client_b.get(DOWNLOAD)  # Sanne's shared data goes into Thomas's copy
    client_b.post(
        f"/me/diary/{timezone.localdate().isoformat()}/",
        {"closeness": 5, "feeling_seen": 5, "stress": 5, "desire": 5, "sexual_contact": "no"}
        | {"conflict": "no", "note": "B-new-private", "note_visibility": "private"},
    )
    assert AuditEvent.objects.filter(partner_id=world.partner_a.pk, user_id=world.user_b.pk)
    for query in ("", "?own=1"):
        rows = seen_rows(client_for(world.user_a), query)
        assert all("Thomas" not in row["who"] for row in rows)
        assert all(row["who"] in ("You", "Jij") for row in rows if row["mine"])
    html = client_for(world.user_a).get(SEEN).content.decode()
    assert "B-new-private" not in html


def test_events_about_the_other_partner_never_appear(world: World) -> None:
    client_for(world.therapist).get(f"/cases/{world.case.pk}/")
    about_a = AuditEvent.objects.filter(partner_id=world.partner_a.pk).exclude(role="partner")
    rows = seen_rows(client_for(world.user_a))
    assert len(rows) == about_a.count()


def test_own_events_are_shown_only_when_asked_for(world: World) -> None:
    client_a = client_for(world.user_a)
    client_a.get("/me/")
    assert not any(row["mine"] for row in seen_rows(client_a))
    rows = seen_rows(client_a, "?own=1")
    assert any(row["mine"] and row["who"] == "Jij" for row in rows)


def test_a_practice_copy_appears_to_its_subject_and_not_to_the_other_partner(
    world: World,
) -> None:
    client_for(world.admin).post(COPIES, {"email": "a@partner.example", "reference": "r"})
    rows_a = seen_rows(client_for(world.user_a))
    assert any(row["who"] == "Anouk, praktijkbeheerder" for row in rows_a)
    rows_b = seen_rows(client_for(world.user_b))
    assert not any("Anouk" in row["who"] for row in rows_b)


def test_research_downloads_appear_pseudonymised_whatever_the_other_decided(
    world: World,
) -> None:
    Export.objects.create(study=world.study, researcher=world.researcher, format="csv")
    said_yes = client_for(world.user_a).get(SEEN)
    assert "pseudonymised" in said_yes.content.decode() or "gepseudonimiseerd" in (
        said_yes.content.decode()
    )
    assert [row["study"] for row in said_yes.context["research"]] == ["Samen door de dag"]
    Consent.objects.filter(partner=world.partner_b).update(given=False)
    said_no = client_for(world.user_a).get(SEEN)
    assert said_no.context["research"] == said_yes.context["research"]


def test_a_download_made_before_saying_yes_or_after_taking_it_back_is_not_listed(
    world: World,
) -> None:
    consent = Consent.objects.get(partner=world.partner_a, study=world.study)
    before = Export.objects.create(study=world.study, researcher=world.researcher, format="csv")
    Export.objects.filter(pk=before.pk).update(created_at=consent.decided_at - dt.timedelta(days=1))
    assert seen_rows_research(world) == []
    client_a = client_for(world.user_a)
    study_url = reverse("diary:study", args=[world.study.pk])
    assert client_a.post(study_url, {"decision": "no"}).status_code == 302
    Export.objects.create(study=world.study, researcher=world.researcher, format="csv")
    assert seen_rows_research(world) == []
    assert client_a.post(study_url, {"decision": "yes"}).status_code == 302
    Export.objects.create(study=world.study, researcher=world.researcher, format="sav")
    assert len(seen_rows_research(world)) == 1


def seen_rows_research(world: World) -> list[dict[str, Any]]:
    return client_for(world.user_a).get(SEEN).context["research"]


def test_the_list_is_paged_and_a_strange_page_number_is_harmless(world: World) -> None:
    client_therapist = client_for(world.therapist)
    for _n in range(30):
        client_therapist.get(f"/cases/{world.case.pk}/")
    client_a = client_for(world.user_a)
    first = client_a.get(SEEN)
    assert len(first.context["rows"]) == 25 and first.context["page"].paginator.num_pages > 1
    for page in ("²", "0", "-1", "99999", "x" * 500, str(uuid.uuid4())):
        assert client_a.get(SEEN, {"page": page}).status_code == 200
    assert len(events("rights.seen.list", partner_id=world.partner_a.pk)) == 7


def test_reading_who_has_seen_is_logged_and_shown_as_your_own(world: World) -> None:
    client_a = client_for(world.user_a)
    client_a.get(SEEN)
    (event,) = events("rights.seen.list", partner_id=world.partner_a.pk)
    assert event.user_id == world.user_a.pk


def test_nobody_reads_another_practices_events(world: World) -> None:
    other_practice = Practice.objects.create(name="Praktijk Drie")
    stranger = make_user("p@drie.example", Role.PARTNER, other_practice)
    assert client_for(stranger).get(SEEN).status_code == 403


# --- every section, filled -------------------------------------------------------------

A_LOG_NEED = "A-log-need-marker"
A_OWN_AGREEMENT = "A-own-agreement-marker"


def run_events(start: dt.datetime) -> str:
    def at(seconds: int) -> str:
        return (start + dt.timedelta(seconds=seconds)).isoformat()

    return json.dumps(
        [
            {"id": "ev-start-0001", "kind": "start", "at": at(0), "slot": ""},
            {"id": "ev-break-0002", "kind": "break", "at": at(40), "slot": "A"},
            {"id": "ev-back-00003", "kind": "back", "at": at(70), "slot": "A"},
            {"id": "ev-stop-00004", "kind": "stop", "at": at(300), "slot": ""},
        ]
    )


def fill_every_section(world: World) -> None:
    from dyade.exercises.models import Run
    from dyade.reading.models import ReadingAssignment
    from dyade.reminders.models import Reminder

    assignment = give_couple_exercise(world)
    assignment.own_agreements = A_OWN_AGREEMENT
    assignment.save()
    start = timezone.now() - dt.timedelta(hours=1)
    run = Run.objects.create(
        assignment=assignment,
        partner=world.partner_a,
        run_id="run-a-0001",
        events_json=run_events(start),
        started_at=start,
        ended_at=start + dt.timedelta(seconds=300),
    )
    Log.objects.create(
        assignment=assignment,
        partner=world.partner_a,
        date=timezone.localdate(),
        values_json=json.dumps({"role": "touched", "feeling": "aversion", "needed": A_LOG_NEED}),
        shared=True,
        run=run,
    )
    ReadingAssignment.objects.create(
        partner=world.partner_a, slug="basic-needs", assigned_by=world.therapist
    )
    Reminder.objects.create(partner=world.partner_a, topic="diary", active=True)
    CycleVersion.objects.create(
        case=world.case,
        number=1,
        data_json=json.dumps({"A": {"daily": {"position": "pursue", "need": "gezien worden"}}}),
        created_by=world.therapist,
        published_at=timezone.now(),
        published_by=world.therapist,
    )


def test_every_section_of_the_copy_is_filled_and_shaped(world: World) -> None:
    fill_every_section(world)
    data, _readme = unzip(client_for(world.user_a).get(DOWNLOAD))
    (exercise,) = data["exercises"]
    assert {"exercise", "for", "given", "active", "agreements", "logs", "entries"} <= set(exercise)
    assert A_OWN_AGREEMENT in exercise["agreements"]
    (log,) = exercise["logs"]
    assert log["needed"] == A_LOG_NEED and log["feeling"] == "afkeer" and log["shared"] is True
    assert log["timer"]["minutes"] == 5.0
    assert exercise["timer_runs"][0]["breaks"] == [{"name": "Sanne", "seconds": 30}]
    (reading,) = data["readings"]
    assert set(reading) == {"page", "given", "read"} and reading["read"] is None
    (reminder,) = data["reminders"]
    assert set(reminder) == {"about", "at", "by", "on", "last_sent_on"} and reminder["on"] is True
    (consent,) = data["research"]
    assert consent["study"] == "Samen door de dag" and consent["taking_part"] is True
    (pattern,) = data["pattern_maps"]
    assert pattern["map"]["Sanne"]["daily"]["need"] == "gezien worden"
    assert "number" not in pattern  # partners see the date of a published map, not its version
    page = client_for(world.user_a).get(MY_DATA).content.decode()
    assert A_LOG_NEED in page and A_OWN_AGREEMENT in page and "gezien worden" in page


def test_a_shared_log_reaches_the_other_partner_and_the_safety_reason_nobody(
    world: World,
) -> None:
    fill_every_section(world)
    Assignment.objects.update(safety_override="therapeut-reden-3391")
    data, _readme = unzip(client_for(world.user_b).get(DOWNLOAD))
    (theirs,) = data["shared_with_me"]["exercises"]
    assert theirs["logs"][0]["needed"] == A_LOG_NEED
    assert "therapeut-reden-3391" not in json.dumps(data)
    mine, _readme = unzip(client_for(world.user_a).get(DOWNLOAD))
    assert "therapeut-reden-3391" not in json.dumps(mine)
    assert "reminders" in mine and data["reminders"] == []  # Thomas has none of Sanne's
