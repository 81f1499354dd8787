"""The therapist's progress page: both partners' lines, the cut-off, the session table.

Who may open it is tried as everyone; the number of queries and audit inserts
does not grow with the number of sessions.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dyade.audit.models import AuditEvent
from tests.conftest import World, client_for
from tests.progress.helpers import add_sessions

pytestmark = pytest.mark.django_db
AUDIT_INSERT = 'INSERT INTO "audit_auditevent"'


def url(world: World) -> str:
    return reverse("cases:progress", args=[world.case.pk])


def test_the_therapist_sees_each_partners_line_the_cutoff_and_every_session(world: World) -> None:
    add_sessions(
        world.case,
        world.therapist,
        {"A": [8, 10, 15], "B": [12, None, 11]},
        {"A": [7, 8, 9], "B": [4, 3, 2]},
    )
    response = client_for(world.therapist).get(url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="chart progress-chart"') == 3  # A, B and the alliance
    assert 'id="progress-A"' in html and 'id="progress-B"' in html
    # CSI-4's cut-off of 13.5 (Funk & Rogge 2007) is drawn on both outcome charts.
    assert html.count('<line class="cutoff" x1="40" x2="504"') == 2
    a_chart = html.split('id="progress-A"')[1].split("</section>")[0]
    assert a_chart.count('<circle class="dot partner-a') == 3
    b_chart = html.split('id="progress-B"')[1].split("</section>")[0]
    assert b_chart.count('<circle class="dot partner-b') == 2  # the missed check-in is a gap
    assert "<polyline" not in b_chart  # two scores with a gap between them: no line
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>", html)
    assert rows == ["1", "2", "3"]


def test_a_session_with_one_partner_leaves_the_other_partners_cells_empty(world: World) -> None:
    add_sessions(
        world.case,
        world.therapist,
        {"A": [8, 9, 10], "B": [12, None, 12]},
        attendance=["both", "A", "both"],
    )
    html = client_for(world.therapist).get(url(world)).content.decode()
    second = html.split("<td>2</td>")[1].split("</tr>")[0]
    assert second.count("<td>–</td>") == 3  # B's score, and both alliances


def test_cancelled_and_future_sessions_are_not_counted(world: World) -> None:
    import datetime as dt

    from django.utils import timezone

    from dyade.sessions.models import Appointment

    add_sessions(world.case, world.therapist, {"A": [8, 9], "B": [12, 12]})
    for starts, attendance in (
        (timezone.now() - dt.timedelta(days=3), "cancelled"),
        (timezone.now() + dt.timedelta(days=5), "planned"),
    ):
        Appointment.objects.create(
            case=world.case,
            starts_at=starts,
            attendance=attendance,
            created_by=world.therapist,
        )
    html = client_for(world.therapist).get(url(world)).content.decode()
    assert re.findall(r"<tr>\s*<td>(\d+)</td>", html) == ["1", "2"]


def test_without_published_sd_and_reliability_no_status_is_made_up(world: World) -> None:
    # The CSI-4 key ships no verified SD and reliability, so no status and no band.
    add_sessions(world.case, world.therapist, {"A": [5, 20], "B": [12, 12]})
    html = client_for(world.therapist).get(url(world)).content.decode()
    assert 'class="rc-band"' not in html
    assert 'class="status status-' not in html


@pytest.mark.parametrize("name", ["colleague", "other_therapist"])
def test_a_therapist_not_on_the_case_gets_not_found_and_a_denied_event(
    world: World, name: str
) -> None:
    add_sessions(world.case, world.therapist, {"A": [8], "B": [9]})
    response = client_for(world.person(name)).get(url(world))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(event="progress.read", outcome="denied").exists()


@pytest.mark.parametrize("name", ["partner_a", "partner_b", "admin", "researcher"])
def test_other_roles_are_refused(world: World, name: str) -> None:
    add_sessions(world.case, world.therapist, {"A": [8], "B": [9]})
    response = client_for(world.person(name)).get(url(world))
    assert response.status_code == 403


def test_a_stranger_is_sent_to_log_in(world: World) -> None:
    response = client_for(None).get(url(world))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def _cost(world: World, sessions: int) -> tuple[int, int]:
    from dyade.sessions.models import Appointment

    Appointment.objects.filter(case=world.case).delete()
    add_sessions(
        world.case,
        world.therapist,
        {"A": [8 + i % 10 for i in range(sessions)], "B": [12] * sessions},
        {"A": [7] * sessions, "B": [5] * sessions},
    )
    client = client_for(world.therapist)
    client.get(url(world))  # the session and the instruments are read once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(world)).status_code == 200
    inserts = sum(1 for q in queries.captured_queries if q["sql"].startswith(AUDIT_INSERT))
    return len(queries.captured_queries), inserts


def test_the_page_costs_the_same_for_3_and_40_sessions(world: World) -> None:
    few, few_inserts = _cost(world, 3)
    many, many_inserts = _cost(world, 40)
    assert few == many <= 15
    assert few_inserts == many_inserts == 1


def test_the_read_is_logged_per_partner(world: World) -> None:
    add_sessions(world.case, world.therapist, {"A": [8, 9], "B": [12, 12]}, {"A": [5, 6]})
    client_for(world.therapist).get(url(world))
    events = AuditEvent.objects.filter(case_id=world.case.pk)
    assert events.filter(event="progress.read", partner_id=None).count() == 1
    per_partner = events.filter(event="progress.read").exclude(partner_id=None)
    details = dict(per_partner.values_list("partner_slot", "detail"))
    assert details == {"A": "2 outcome, 2 alliance", "B": "2 outcome, 0 alliance"}


@pytest.mark.parametrize("pk", [2**63, 2**70, 0])
def test_an_impossible_case_id_is_not_found_not_a_server_error(world: World, pk: int) -> None:
    response = client_for(world.therapist).get(f"/cases/{pk}/progress/")
    assert response.status_code == 404
