"""The practice's own SD and reliability for reliable change (where a measure ships none).

Statuses are checked against Jacobson & Truax (1991) worked out by hand, with
the values a practice would enter: SD 4, reliability 0.9 give
S_diff = 4 x sqrt(2) x sqrt(1 - 0.9) = 1.789 points, so a change counts as
reliable when it is more than 1.96 x 1.789 = 3.51 points. The CSI-4's cut-off
is 13.5 (Funk & Rogge 2007).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dyade.accounts.models import Role, User
from dyade.audit.models import AuditEvent
from dyade.content import all_instruments
from dyade.content import instrument as load_instrument
from dyade.progress.models import ChangeValues
from dyade.sessions import case_snapshot
from dyade.sessions.progress_series import PracticeChange, with_practice_values
from tests.conftest import PEOPLE, World, client_for, make_user
from tests.progress.helpers import add_sessions

pytestmark = pytest.mark.django_db
SOURCE = "Eigen normgegevens van de praktijk, 2025 (n = 212)"
LIST = reverse("practice:change_values")


def english(user: User | None) -> Client:
    """A client for ``user`` reading the pages in English."""
    if user is not None:
        user.language = "en"
        user.save(update_fields=["language"])
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _enter(world: World, instrument: str = "csi-4") -> ChangeValues:
    return ChangeValues.objects.create(
        practice=world.practice,
        instrument=instrument,
        sd=4.0,
        reliability=0.9,
        source=SOURCE,
        created_by=world.admin,
    )


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "instrument": "csi-4",
        "sd": "4",
        "reliability": "0.9",
        "source": SOURCE,
        "request_id": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


# --- who may ---------------------------------------------------------------------


@pytest.mark.parametrize("name", [p for p in PEOPLE if p != "admin"])
def test_only_the_practice_admin_reaches_the_page(world: World, name: str) -> None:
    row = _enter(world)
    client = client_for(world.person(name))
    for url in (LIST, reverse("practice:change_value_edit", args=[row.pk])):
        response = client.get(url)
        assert response.status_code in (302, 403), (name, url)
        if response.status_code == 302:
            assert "/account/login/" in response["Location"]
    client.post(LIST, _form(instrument="csi-16"))
    client.post(reverse("practice:change_value_edit", args=[row.pk]), _form(sd="9", source="x"))
    client.post(reverse("practice:change_value_delete", args=[row.pk]))
    assert list(ChangeValues.objects.values_list("instrument", "sd", "source")) == [
        ("csi-4", 4.0, SOURCE)
    ]


def test_another_practices_admin_cannot_see_change_or_remove_the_values(world: World) -> None:
    row = _enter(world)
    other_admin = make_user("admin@two.example", Role.PRACTICE_ADMIN, world.other_practice)
    client = english(other_admin)
    html = client.get(LIST).content.decode()
    assert SOURCE not in html
    assert client.get(reverse("practice:change_value_edit", args=[row.pk])).status_code == 404
    edit = reverse("practice:change_value_edit", args=[row.pk])
    assert client.post(edit, _form(sd="9")).status_code == 404
    delete = reverse("practice:change_value_delete", args=[row.pk])
    assert client.post(delete).status_code == 404
    row.refresh_from_db()
    assert (row.sd, row.source) == (4.0, SOURCE)
    # Their own values for the same measure do not touch the first practice's.
    assert client.post(LIST, _form(source="Andere bron")).status_code == 302
    assert ChangeValues.objects.get(practice=world.other_practice).source == "Andere bron"
    assert ChangeValues.objects.get(practice=world.practice).source == SOURCE


# --- entering, changing, removing ----------------------------------------------------


def test_the_admin_enters_values_once_and_the_event_is_audited(world: World) -> None:
    client = english(world.admin)
    page = client.get(LIST).content.decode()
    assert 'value="csi-4"' in page and "No values: no statuses for this measure." in page
    data = _form()
    first = client.post(LIST, data)
    second = client.post(LIST, data)  # the same form sent twice
    assert first.status_code == second.status_code == 302
    row = ChangeValues.objects.get()
    assert (row.instrument, row.sd, row.reliability, row.source) == ("csi-4", 4.0, 0.9, SOURCE)
    assert AuditEvent.objects.filter(event="progress.values.create").count() == 1
    page = client.get(LIST).content.decode()
    assert f"Values entered by the practice: {SOURCE}" in page
    assert 'value="csi-4"' not in page  # entered: not offered again
    log = client.get(reverse("practice:audit")).content.decode()
    assert "entered the practice&#x27;s values for reliable change" in log


def test_a_second_form_for_the_same_measure_makes_no_second_record(world: World) -> None:
    _enter(world)
    response = english(world.admin).post(LIST, _form())
    assert response.status_code == 200  # the measure is no longer a choice
    assert "Choose one of the measures in the list." in response.content.decode()
    assert ChangeValues.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sd": "0"}, "The standard deviation must be above 0."),
        ({"sd": "-2"}, "The standard deviation must be above 0."),
        ({"sd": "vier"}, "Enter the standard deviation as a number, e.g. 4.2."),
        ({"sd": ""}, "Enter the standard deviation."),
        ({"reliability": "0"}, "The reliability must lie between 0 and 1."),
        ({"reliability": "1"}, "The reliability must lie between 0 and 1."),
        ({"reliability": "85"}, "The reliability must lie between 0 and 1."),
        ({"reliability": "x"}, "Enter the reliability as a number, e.g. 0.85."),
        ({"source": "   "}, "Say where the values come from."),
        ({"source": ""}, "Say where the values come from."),
        ({"instrument": "hits"}, "Choose one of the measures in the list."),
        ({"instrument": ""}, "Choose a measure."),
    ],
)
def test_bad_input_gets_a_message_saves_nothing_and_keeps_what_was_typed(
    world: World, changes: dict[str, object], message: str
) -> None:
    response = english(world.admin).post(LIST, _form(**changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Nothing you typed has been lost." in html
    if "source" not in changes:
        assert SOURCE in html  # the source typed is still in the form
    assert not ChangeValues.objects.exists()
    assert not AuditEvent.objects.filter(event="progress.values.create").exists()


def test_a_dutch_decimal_comma_is_read(world: World) -> None:
    row = _enter(world)
    client = client_for(world.admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    response = client.post(
        reverse("practice:change_value_edit", args=[row.pk]),
        {"sd": "3,5", "reliability": "0,8", "source": SOURCE},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.sd, row.reliability) == (3.5, 0.8)


def test_the_admin_changes_and_removes_the_values(world: World) -> None:
    row = _enter(world)
    client = english(world.admin)
    edit = reverse("practice:change_value_edit", args=[row.pk])
    assert SOURCE in client.get(edit).content.decode()
    bad = client.post(edit, {"sd": "5", "reliability": "1.2", "source": "Nieuwe bron"})
    assert bad.status_code == 200 and "Nieuwe bron" in bad.content.decode()
    row.refresh_from_db()
    assert row.reliability == 0.9
    assert (
        client.post(edit, {"sd": "5", "reliability": "0.8", "source": "Nieuwe bron"}).status_code
        == 302
    )
    row.refresh_from_db()
    assert (row.sd, row.reliability, row.source) == (5.0, 0.8, "Nieuwe bron")
    delete = reverse("practice:change_value_delete", args=[row.pk])
    assert client.post(delete).status_code == 302
    assert client.post(delete).status_code == 302  # a second click: already gone, no error
    assert not ChangeValues.objects.exists()
    events = list(
        AuditEvent.objects.filter(event__startswith="progress.values.").values_list(
            "event", flat=True
        )
    )
    assert sorted(events) == ["progress.values.delete", "progress.values.update"]
    assert client.get(delete).status_code == 302  # not a form: back to the list


# --- shipped values win ------------------------------------------------------------


@pytest.fixture
def shipped_measure() -> Iterator[str]:
    """A measure whose file ships its own SD and reliability (this test's process only)."""
    csi4 = load_instrument("csi-4", "1")
    registry = all_instruments()
    assert csi4.change is not None
    registry[("shipped-outcome", "1")] = dataclasses.replace(
        csi4,
        id="shipped-outcome",
        change=dataclasses.replace(csi4.change, sd=6.0, reliability=0.8, source="In het bestand"),
    )
    yield "shipped-outcome"
    del registry[("shipped-outcome", "1")]


def test_values_in_the_file_win(world: World, shipped_measure: str) -> None:
    shipped = load_instrument(shipped_measure, "1")
    kept = with_practice_values(shipped, {shipped_measure: (4.0, 0.9, SOURCE)})
    assert kept.change == shipped.change and not isinstance(kept.change, PracticeChange)
    client = english(world.admin)
    page = client.get(LIST).content.decode()
    assert "Shipped with Dyade: In het bestand" in page
    assert f'value="{shipped_measure}"' not in page
    response = client.post(LIST, _form(instrument=shipped_measure))
    assert "Choose one of the measures in the list." in response.content.decode()
    assert not ChangeValues.objects.exists()


def test_a_measure_without_a_change_part_takes_no_values() -> None:
    hits = load_instrument("hits")
    assert hits.change is None
    assert with_practice_values(hits, {"hits": (4.0, 0.9, SOURCE)}) is hits


def test_the_practices_values_fill_in_only_sd_and_reliability() -> None:
    csi4 = load_instrument("csi-4", "1")
    assert csi4.change is not None
    filled = with_practice_values(csi4, {"csi-4": (4.0, 0.9, SOURCE)})
    assert isinstance(filled.change, PracticeChange)
    assert dataclasses.astuple(filled.change) == dataclasses.astuple(
        dataclasses.replace(csi4.change, sd=4.0, reliability=0.9, source=SOURCE)
    )
    assert filled.change.cutoff == 13.5  # the file's cut-off (Funk & Rogge 2007) stays
    assert with_practice_values(csi4, {"csi-16": (4.0, 0.9, SOURCE)}) is csi4


# --- statuses and their source ------------------------------------------------------


def _sessions(world: World) -> None:
    # A: 8 -> 10 (+2, not reliable) -> 15 (+7, reliable, across 13.5): unchanged, recovered.
    # B: 12 -> 7 (-5, reliable): deteriorated; 12 -> 14 (+2): unchanged.
    add_sessions(
        world.case,
        world.therapist,
        {"A": [8, 10, 15], "B": [12, 7, 14]},
        {"A": [8, 8, 8], "B": [8, 8, 8]},
    )


def test_without_values_no_status_and_a_clear_message(world: World) -> None:
    _sessions(world)
    html = english(world.therapist).get(reverse("cases:progress", args=[world.case.pk]))
    page = html.content.decode()
    assert page.count('class="muted no-statuses"') == 2
    assert f'href="{LIST}"' in page
    assert "status-recovered" not in page and "status-deteriorated" not in page
    data = case_snapshot.build(world.case, world.therapist, timezone.localdate())
    assert data["partners"]["A"]["progress"]["statuses"] == [None, None, None]


def test_with_the_practices_values_the_statuses_appear_and_name_their_source(
    world: World,
) -> None:
    _enter(world)
    _sessions(world)
    page = english(world.therapist).get(reverse("cases:progress", args=[world.case.pk]))
    html = page.content.decode()
    assert "no-statuses" not in html
    a = html.split('id="progress-A"')[1].split("</section>")[0]
    b = html.split('id="progress-B"')[1].split("</section>")[0]
    assert "Now: recovered" in a and f"Values entered by the practice: {SOURCE}" in a
    assert "Now: unchanged" in b and f"Values entered by the practice: {SOURCE}" in b
    data = case_snapshot.build(world.case, world.therapist, timezone.localdate())
    assert data["partners"]["A"]["progress"]["statuses"] == [None, "unchanged", "recovered"]
    assert data["partners"]["B"]["progress"]["statuses"] == [None, "deteriorated", "unchanged"]


def test_another_practices_values_are_not_used(world: World) -> None:
    ChangeValues.objects.create(
        practice=world.other_practice, instrument="csi-4", sd=4.0, reliability=0.9, source="x"
    )
    _sessions(world)
    data = case_snapshot.build(world.case, world.therapist, timezone.localdate())
    assert data["partners"]["A"]["progress"]["statuses"] == [None, None, None]


def test_the_partners_chart_names_the_source(world: World) -> None:
    _enter(world)
    _sessions(world)
    html = english(world.user_a).get(reverse("diary:progress")).content.decode()
    mine = html.split('id="mine"')[1].split("</section>")[0]
    assert f"Values entered by the practice: {SOURCE}" in mine
    other = english(world.user_b).get(reverse("diary:progress")).content.decode()
    assert 'id="theirs"' not in other  # Sanne has not shared: nothing of hers, not the source


def _worklist_cost(world: World, couples: int) -> tuple[int, list[dict[str, str]]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dyade.cases.models import Case, CaseKind, Partner

    therapist = make_user(f"w{couples}@one.example", Role.THERAPIST, world.practice, "W")
    for n in range(couples):
        case = Case.objects.create(
            practice=world.practice, label=f"Stel {n}", kind=CaseKind.COUPLE, created_by=therapist
        )
        case.therapists.add(therapist)
        for slot in ("A", "B"):
            Partner.objects.create(case=case, slot=slot, name=f"{slot}{n}")
        add_sessions(case, therapist, {"A": [8, 15], "B": [12, 7]})
    client = english(therapist)
    client.get(reverse("cases:list"))  # warm: the session, the instruments
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:list"))
    rows = response.context["rows"]
    return len(queries.captured_queries), [{p.slot: s for p, s in row.progress} for row in rows]


def test_the_worklist_reads_the_practices_values_once_whatever_the_number_of_cases(
    world: World,
) -> None:
    _enter(world)
    few, few_progress = _worklist_cost(world, 2)
    many, many_progress = _worklist_cost(world, 8)
    assert few == many
    # 8 -> 15 is +7 across 13.5: recovered; 12 -> 7 is -5: deteriorated (S_diff 1.79).
    assert many_progress == [{"A": "recovered", "B": "deteriorated"}] * 8
    assert few_progress == [{"A": "recovered", "B": "deteriorated"}] * 2


def test_the_progress_report_names_the_source_of_its_statuses(world: World) -> None:
    _enter(world)
    _sessions(world)
    url = reverse("cases:report", args=[world.case.pk, "progress"])
    response = english(world.therapist).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    section = html.split('id="report-outcome"')[1].split("</section>")[0]
    assert "recovered" in section and "deteriorated" not in section.split("<table")[0]
    assert section.count(f"Values entered by the practice: {SOURCE}") == 2


@pytest.mark.parametrize(
    "changes",
    [
        {"sd": "nan"},
        {"sd": "inf"},
        {"sd": "1e400"},
        {"reliability": "-inf"},
        {"source": "x" * 1001},
        {"request_id": "geen-uuid"},
        {"instrument": "../../etc/passwd"},
        {"sd": "4" * 400},
    ],
)
def test_hostile_input_is_refused_without_a_server_error(
    world: World, changes: dict[str, object]
) -> None:
    response = english(world.admin).post(LIST, _form(**changes))
    assert response.status_code == 200
    assert "Some answers need another look." in response.content.decode()
    assert not ChangeValues.objects.exists()
