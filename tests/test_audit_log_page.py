"""The practice admin's audit log and its CSV export (issue 18, "an audit log people can read").

Events in words, people by name, cases by label; filters by name; one practice
only; nothing clinical; the CSV holds what the page shows and is logged itself;
junk in the address bar is never a server error.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from dyade.audit.models import AuditEvent
from dyade.audit.services import record
from dyade.practice import event_labels
from tests.conftest import World, client_for

PAGE = "/practice/audit/"
CSV_URL = "/practice/audit/export.csv"
DYADE = Path(__file__).resolve().parent.parent / "dyade"
VERBS = {"read", "list", "create", "update", "delete", "login", "logout"}
EVENT_NAME = re.compile(r"[a-z_]+(?:\.[a-z_]+)+")
# Names the code builds at run time: f"{user.role}.update" for a therapist or researcher.
BUILT_NAMES = {"therapist.update", "researcher.update"}


def event_names_in_code() -> dict[str, set[str]]:
    """Every string in dyade/ shaped like an audit event name ("<area>.<verb>")."""
    found: dict[str, set[str]] = {}
    for path in DYADE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and EVENT_NAME.fullmatch(node.value)
                and node.value.rsplit(".", 1)[1] in VERBS
            ):
                found.setdefault(node.value, set()).add(str(path.relative_to(DYADE.parent)))
    for name in BUILT_NAMES:
        found.setdefault(name, set()).add("dyade/practice/views.py")
    return found


def english(world: World) -> Client:
    world.admin.language = "en"
    world.admin.save(update_fields=["language"])
    return client_for(world.admin)


def csv_rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def event(world: World, name: str, **values: object) -> AuditEvent:
    defaults: dict[str, object] = {
        "event": name,
        "action": "read",
        "practice_id": world.practice.pk,
        "user_id": world.therapist.pk,
        "user_label": world.therapist.email,
        "role": world.therapist.role,
        "access_point": "GET /somewhere/",
    }
    defaults.update(values)
    return AuditEvent.objects.create(**defaults)


# --- Events in words ------------------------------------------------------------------------


def test_every_event_name_in_the_code_has_a_label() -> None:
    names = event_names_in_code()
    assert len(names) > 60  # the scan finds the code's events, not nothing
    missing = {name: sorted(paths) for name, paths in names.items() if name not in LABELS}
    assert not missing, f"add a phrase to dyade/practice/event_labels.py for: {missing}"


LABELS = event_labels.LABELS


def test_labels_are_dutch_and_english_and_unknown_names_stay_as_they_are() -> None:
    with translation.override("en"):
        assert event_labels.label("diary.read") == "read a diary entry"
        assert event_labels.label("made.up.read") == "made.up.read"
    with translation.override("nl"):
        assert event_labels.label("diary.read") == "dagboekregel gelezen"
        for name in LABELS:
            with translation.override("en"):
                english_label = event_labels.label(name)
            assert event_labels.label(name) != english_label, name


def test_the_page_shows_events_in_words_and_people_by_name(world: World) -> None:
    client_for(world.therapist).get(reverse("cases:detail", args=[world.case.pk]))
    body = english(world).get(PAGE).content.decode()
    assert "opened a case" in body and "read a diary entry" in body
    assert "Eva" in body and "Therapist" in body  # the therapist's name and role
    assert "Sanne &amp; Thomas" in body and "partner A" in body
    assert 'class="outcome"' in body


def test_a_person_who_left_the_practice_is_shown_as_the_event_stored_them(world: World) -> None:
    client_for(world.colleague).get("/cases/")
    world.colleague.practice = world.other_practice
    world.colleague.save(update_fields=["practice"])
    rows = english(world).get(PAGE).context["rows"]
    row = next(row for row in rows if row.event.user_id == world.colleague.pk)
    assert row.who == "colleague@one.example" and row.who_note == "no longer in the practice"
    system = event(
        world, "audit.update", user_id=None, user_label="", role="", access_point="system"
    )
    anonymous = event(world, "auth.login", user_id=None, user_label="", role="", outcome="denied")
    rows = {row.event.pk: row for row in english(world).get(PAGE).context["rows"]}
    assert rows[system.pk].who == "Dyade (automatic)"
    assert rows[anonymous.pk].who == "not signed in"


def test_names_cost_one_query_per_page_not_one_per_row(world: World) -> None:
    client = english(world)
    people = [world.therapist, world.colleague, world.researcher, world.user_a, world.user_b]
    event(world, "case.list")
    client.get(PAGE)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    for n in range(45):
        person = people[n % len(people)]
        event(world, "case.list", user_id=person.pk, user_label=person.email, role=person.role)
    with CaptureQueriesContext(connection) as many:
        response = client.get(PAGE)
    assert len(response.context["rows"]) == AuditEvent.objects.count() - 1  # not its own read
    assert len(many) == len(few)


# --- Filters by name ---------------------------------------------------------------------------


def _shown(client: Client, **query: str) -> list[AuditEvent]:
    response = client.get(PAGE, query)
    assert response.status_code == 200
    return [row.event for row in response.context["rows"]]


def test_filters_find_a_person_by_name_or_address_and_a_case_by_name_or_number(
    world: World,
) -> None:
    client_for(world.therapist).get(reverse("cases:detail", args=[world.case.pk]))
    client_for(world.researcher).get("/research/")
    client = english(world)
    by_name = _shown(client, user="eva")
    assert by_name and {e.user_id for e in by_name} == {world.therapist.pk}
    assert {e.user_id for e in _shown(client, user="therapist@one")} == {world.therapist.pk}
    assert {e.user_id for e in _shown(client, user="Lies")} == {world.researcher.pk}
    by_case = _shown(client, case="sanne")
    assert by_case and {e.case_id for e in by_case} == {world.case.pk}
    assert {e.case_id for e in _shown(client, case=str(world.case.pk))} == {world.case.pk}
    assert _shown(client, case="no such case") == []
    combined = _shown(client, user="Eva", case="Thomas", outcome="success")
    assert combined and all(e.case_id == world.case.pk for e in combined)
    assert _shown(client, user="Eva", outcome="denied") == []
    today = timezone.localdate()
    assert _shown(client, user="Eva", date=today.isoformat())
    assert _shown(client, user="Eva", date=(today - dt.timedelta(days=2)).isoformat()) == []


# --- One practice only, and who may read it --------------------------------------------------


def test_another_practice_never_appears_on_the_page_or_in_the_csv(world: World) -> None:
    client_for(world.other_therapist).get(f"/cases/{world.other_case.pk}/")
    client_for(world.therapist).get(f"/cases/{world.case.pk}/")
    client = english(world)
    for query in ({}, {"user": "Hanne"}, {"case": "Ines"}, {"case": str(world.other_case.pk)}):
        response = client.get(PAGE, query)
        assert "therapist@two.example" not in response.content.decode()
        shown = [row.event for row in response.context["rows"]]
        assert all(e.practice_id == world.practice.pk for e in shown)
        assert all(e.case_id != world.other_case.pk for e in shown)
        assert all(row.who != "Hanne" for row in response.context["rows"])
        rows = csv_rows(client.get(CSV_URL, query))
        assert all(row["E-mail address"] != "therapist@two.example" for row in rows)
        assert all(row["Case"] != "Ines" for row in rows)
    assert any(row["Name"] == "Eva" for row in csv_rows(client.get(CSV_URL)))
    # The other practice's admin sees its own events and none of practice 1's.
    from dyade.accounts.models import Role
    from tests.conftest import make_user

    other_admin = make_user("admin@two.example", Role.PRACTICE_ADMIN, world.other_practice)
    rows = csv_rows(client_for(other_admin).get(CSV_URL))  # in Dutch, the admin's language
    assert rows and {row["Casus"] for row in rows} <= {"Ines", ""}
    assert all(row["E-mailadres"] != world.therapist.email for row in rows)
    assert any(row["Gebeurtenis in woorden"] == "casus geopend" for row in rows)


@pytest.mark.parametrize(
    "person", ["therapist", "colleague", "partner_a", "researcher", "other_therapist", "stranger"]
)
@pytest.mark.parametrize("url", [PAGE, CSV_URL])
def test_only_the_practice_admin_may_read_or_export(world: World, person: str, url: str) -> None:
    before = AuditEvent.objects.filter(event__in=["audit.read", "audit.export.read"]).count()
    response = client_for(world.person(person)).get(url)
    if person == "stranger":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == 403
    assert (
        AuditEvent.objects.filter(event__in=["audit.read", "audit.export.read"]).count() == before
    )


# --- Nothing clinical ------------------------------------------------------------------------


CLINICAL_DETAILS = [
    ("exercise.create", "sensate-focus-1"),
    ("exercise_override.create", "sensate-focus-2"),
    ("signal.create", "eft.contra.violence accepted"),
    ("track.create", "safety "),
    ("questionnaire.create", "hits"),
    ("diary_items.update", "initiative,motives"),
    ("consent.update", "yes"),
    ("guidance.read", "safety check for exercises"),
]


def test_details_that_name_clinical_content_are_withheld_on_the_page_and_in_the_csv(
    world: World,
) -> None:
    for name, detail in CLINICAL_DETAILS:
        event(world, name, case_id=world.case.pk, case_label=world.case.label, detail=detail)
    shown = event(world, "diary.read", case_id=world.case.pk, detail="12 entries since 2026-01-01")
    staff = event(world, "therapist.update", detail="two-step login reset")
    client = english(world)
    body = client.get(PAGE).content.decode()
    for _name, detail in CLINICAL_DETAILS:
        assert detail.strip() not in body
    assert "safety" not in body.lower() and "violence" not in body.lower()
    assert body.count("detail not shown (client data)") == len(CLINICAL_DETAILS)
    assert "12 entries since 2026-01-01" in body and "two-step login reset" in body
    rows = {int(row["Number"]): row for row in csv_rows(client.get(CSV_URL))}
    withheld = [row for row in rows.values() if row["Detail"] == "(not shown: client data)"]
    assert len(withheld) == len(CLINICAL_DETAILS)
    assert rows[shown.pk]["Detail"] == "12 entries since 2026-01-01"
    assert rows[staff.pk]["Detail"] == "two-step login reset"


@pytest.mark.parametrize(
    ("detail", "about_client", "shown"),
    [
        ("3 open signals", True, True),
        ("page 2, 50 events", True, True),
        ("published v3", True, True),
        ("study 4, export 7 (sav), download", True, True),
        ("step 3", True, True),
        ("outcome, note, cycle v2, exercises 1", True, True),  # a closing summary's parts
        ("preview: outcome, note", True, True),
        ("withdrawn", True, True),
        ("2 for both", True, True),
        ("note: ik mis je", True, False),  # words of a text never pass
        ("time-out-plan", True, False),
        ("ecr-r v1", True, False),
        ("differentiation 2", True, False),
        ("second factor verified", False, True),
        ("", True, True),
    ],
)
def test_shown_detail(detail: str, about_client: bool, shown: bool) -> None:
    result = event_labels.shown_detail(detail, about_client=about_client)
    assert (result == detail) if shown else result is None


# --- The CSV ---------------------------------------------------------------------------------


def test_the_csv_holds_the_pages_filtered_rows_and_is_logged_with_filter_and_count(
    world: World,
) -> None:
    client_for(world.therapist).get(reverse("cases:detail", args=[world.case.pk]))
    client_for(world.user_a).get("/me/")
    client = english(world)
    for query in ({"case": "Sanne"}, {"user": "Eva", "outcome": "success"}, {"user": "sanne"}):
        page_ids = [e.pk for e in _shown(client, **query)]
        assert page_ids
        response = client.get(CSV_URL, query)
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith("attachment;")
        rows = csv_rows(response)
        assert [int(row["Number"]) for row in rows] == page_ids
        export = AuditEvent.objects.filter(event="audit.export.read").latest("id")
        assert export.user_id == world.admin.pk and export.outcome == "success"
        assert f"CSV, {len(page_ids)} events" in export.detail
        for key, value in query.items():
            assert f"{key}={value}" in export.detail
    first = rows[0]
    assert first["Event in words"] and first["Role"] and first["Time"]


def test_the_csv_streams_a_large_log_in_blocks_without_a_query_per_row(world: World) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(
            event="case.list",
            action="read",
            practice_id=world.practice.pk,
            user_id=world.therapist.pk,
            user_label=world.therapist.email,
            role="therapist",
            detail=f"{n} cases",
        )
        for n in range(1234)
    )
    client = english(world)
    with CaptureQueriesContext(connection) as queries:
        rows = csv_rows(client.get(CSV_URL))
    listed = [row for row in rows if row["Event"] == "case.list"]
    assert len(listed) == 1234 and len(rows) == AuditEvent.objects.count() - 1
    assert {row["Name"] for row in listed} == {"Eva"}
    assert len(queries) < 25  # a handful per block of 500 rows, never one per row
    export = AuditEvent.objects.get(event="audit.export.read")
    assert f"CSV, {len(rows)} events; no filter" in export.detail


def test_csv_cells_never_start_a_spreadsheet_formula(world: World) -> None:
    world.case.label = '=HYPERLINK("http://evil.example")'
    world.case.save(update_fields=["label"])
    client_for(world.therapist).get(reverse("cases:detail", args=[world.case.pk]))
    rows = csv_rows(english(world).get(CSV_URL))
    labels = {row["Case"] for row in rows if row["Case"]}
    assert labels == {'\'=HYPERLINK("http://evil.example")'}


def test_reading_the_page_is_logged_with_its_filter(world: World) -> None:
    english(world).get(PAGE, {"user": "Eva", "case": "Sanne"})
    read = AuditEvent.objects.get(event="audit.read")
    assert read.user_id == world.admin.pk
    assert "user=Eva; case=Sanne" in read.detail


def test_the_page_links_to_the_csv_with_the_same_filters(world: World) -> None:
    body = english(world).get(PAGE, {"user": "Eva", "case": "Sanne & Thomas"}).content.decode()
    assert f'href="{CSV_URL}?user=Eva&amp;case=Sanne+%26+Thomas"' in body


# --- Junk in the address bar -----------------------------------------------------------------


JUNK = [
    {"case": "²"},
    {"page": "²"},
    {"case": "٣"},
    {"date": "²"},
    {"outcome": "²"},
    {"user": "\u0000"},
    {"case": "1\u0000"},
    {"case": "9" * 40},
    {"page": "9" * 40},
    {"page": "-1"},
    {"page": "0"},
    {"date": "9999-12-31"},
    {"date": "0001-01-01"},
    {"date": "2026-02-30"},
    {"user": "x" * 5000},
    {"user": "%_\\'\""},
    {"case": "🙂"},
]


@pytest.mark.parametrize("query", JUNK, ids=[repr(q)[:40] for q in JUNK])
@pytest.mark.parametrize("url", [PAGE, CSV_URL])
def test_junk_parameters_give_200_or_400_never_500(
    world: World, url: str, query: dict[str, str]
) -> None:
    client_for(world.therapist).get(reverse("cases:detail", args=[world.case.pk]))
    client = client_for(world.admin)
    client.raise_request_exception = False
    response = client.get(url, query)
    assert response.status_code in (200, 400)
    if response.status_code == 200 and url == CSV_URL:
        csv_rows(response)  # the whole file streams without an error


PARAMETER = st.sampled_from(["user", "case", "outcome", "date", "page"])


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.dictionaries(PARAMETER, st.text(max_size=30), max_size=5))
def test_generated_parameters_never_give_a_server_error(
    world: World, query: dict[str, str]
) -> None:
    client = client_for(world.admin)
    client.raise_request_exception = False
    for url in (PAGE, CSV_URL):
        response = client.get(url, query)
        assert response.status_code in (200, 400), (url, query)
        if response.status_code == 200 and url == CSV_URL:
            csv_rows(response)


def test_the_first_filter_page_is_shown_for_a_page_number_that_is_no_number(
    world: World,
) -> None:
    record(None, "case.list", user=world.therapist)
    response = english(world).get(PAGE, {"page": "²", "case": "²"})
    assert response.status_code == 200 and response.context["page"].number == 1
    assert list(response.context["rows"]) == []
