"""The same form sent ten times at once makes one record, and every sender gets it (issue 18).

A form that creates something carries a request id; the database keeps it
unique. Senders that arrive together all miss the first look-up and all try to
insert: exactly one wins, and :func:`dyade.db.once.create_once` gives every
other sender the record that won instead of a server error.

Two ways to send at once:

* on SQLite and PostgreSQL, the look-up before the insert is made to miss
  (``dyade.db.once._before``), so ten sends in a row behave as ten senders who
  all looked before anyone had committed;
* on PostgreSQL, ten threads really post at the same moment (SQLite's test
  database lives in memory and takes one writer at a time).
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dyade.audit.models import AuditEvent
from dyade.cases.models import Case, Invitation, Partner
from dyade.db import once
from dyade.exercises.models import Assignment, Entry, Log, Run, SessionRecord
from dyade.research.models import Consent
from tests.conftest import World, client_for

SENDERS = 10


def _assign(world: World, slug: str) -> Assignment:
    return Assignment.objects.create(
        case=world.case, partner=None, slug=slug, assigned_by=world.therapist
    )


def _log_form() -> dict[str, str]:
    return {
        "request_id": str(uuid.uuid4()),
        "date": timezone.localdate().isoformat(),
        "role": "both",
        "agreements_held": "yes",
    }


def _entry_form() -> dict[str, str]:
    return {
        "request_id": str(uuid.uuid4()),
        "date": timezone.localdate().isoformat(),
        "f-bid": "een knipoog",
    }


def _session_form() -> dict[str, str]:
    return {"request_id": str(uuid.uuid4()), "date": timezone.localdate().isoformat()}


def _case_form() -> dict[str, str]:
    return {
        "request_id": str(uuid.uuid4()),
        "label": "Tien keer",
        "kind": "individual",
        "a_name": "Ada",
        "a_language": "nl",
        "b_language": "nl",
    }


@pytest.fixture
def new_case(world: World) -> Case:
    """A couple case of the therapist whose partners have not joined yet."""
    case = Case.objects.create(
        practice=world.practice, label="Nog niet", kind="couple", created_by=world.therapist
    )
    case.therapists.add(world.therapist)
    for slot, name in (("A", "Ada"), ("B", "Bo")):
        Partner.objects.create(case=case, slot=slot, name=name)
    return case


@pytest.fixture
def everyone_looks_before_anyone_commits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(once, "_before", lambda find: None)


def _send_in_a_row(client: Client, url: str, data: dict[str, str]) -> list[Any]:
    return [client.post(url, data) for _ in range(SENDERS)]


def _created(event: str) -> int:
    return AuditEvent.objects.filter(event=event, outcome="success").count()


@pytest.mark.usefixtures("everyone_looks_before_anyone_commits")
def test_one_invitation_and_every_sender_is_sent_to_the_case(world: World, new_case: Case) -> None:
    url = reverse("cases:invite", args=[new_case.pk, "A"])
    responses = _send_in_a_row(client_for(world.therapist), url, {"request_id": str(uuid.uuid4())})
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {reverse("cases:detail", args=[new_case.pk])}
    assert Invitation.objects.filter(partner__case=new_case, partner__slot="A").count() == 1
    assert _created("invitation.create") == 1


@pytest.mark.usefixtures("everyone_looks_before_anyone_commits")
def test_one_practice_log(world: World) -> None:
    assignment = _assign(world, "sensate-focus")
    url = reverse("diary:exercise", args=[assignment.pk])
    responses = _send_in_a_row(client_for(world.user_a), url, _log_form())
    assert {r.status_code for r in responses} == {302}
    assert Log.objects.count() == 1 and _created("exercise_log.create") == 1


@pytest.mark.usefixtures("everyone_looks_before_anyone_commits")
def test_one_entry_of_a_log_exercise(world: World) -> None:
    assignment = _assign(world, "loving-boundary")
    url = reverse("diary:exercise", args=[assignment.pk])
    responses = _send_in_a_row(client_for(world.user_a), url, _entry_form())
    assert {r.status_code for r in responses} == {302}
    assert Entry.objects.count() == 1 and _created("exercise_log.create") == 1


@pytest.mark.usefixtures("everyone_looks_before_anyone_commits")
def test_one_case_and_every_sender_is_sent_to_it(world: World) -> None:
    cases = Case.objects.count()
    responses = _send_in_a_row(client_for(world.therapist), reverse("cases:create"), _case_form())
    assert Case.objects.count() == cases + 1
    case = Case.objects.latest("pk")
    assert {r["Location"] for r in responses} == {reverse("cases:detail", args=[case.pk])}
    assert case.partners.count() == 1 and _created("case.create") == 1


@pytest.mark.usefixtures("everyone_looks_before_anyone_commits")
def test_one_observation_of_an_in_session_exercise(world: World) -> None:
    url = reverse("cases:in_session", args=[world.case.pk, "forearm-stroking"])
    data = {**_session_form(), "f-attention": "bleef bij de hand"}
    responses = _send_in_a_row(client_for(world.therapist), url, data)
    assert {r.status_code for r in responses} == {302}
    assert SessionRecord.objects.count() == 1 and _created("session_exercise.create") == 1


@pytest.mark.usefixtures("everyone_looks_before_anyone_commits")
def test_one_exercise_given(world: World) -> None:
    url = reverse("cases:exercises", args=[world.case.pk])
    data = {"request_id": str(uuid.uuid4()), "slug": "time-out-plan", "who": "couple"}
    responses = _send_in_a_row(client_for(world.therapist), url, data)
    assignment = Assignment.objects.get()
    target = reverse("cases:exercise", args=[world.case.pk, assignment.pk])
    assert {r["Location"] for r in responses} == {target}
    assert _created("exercise.create") == 1


def test_a_request_id_of_another_cases_record_is_refused(world: World) -> None:
    ours, theirs = client_for(world.therapist), client_for(world.other_therapist)
    data = {"request_id": str(uuid.uuid4()), "slug": "time-out-plan", "who": "A"}
    assert ours.post(reverse("cases:exercises", args=[world.case.pk]), data).status_code == 302
    elsewhere = reverse("cases:exercises", args=[world.other_case.pk])
    assert theirs.post(elsewhere, data).status_code == 400
    assert Assignment.objects.get().case == world.case
    data = {**_session_form(), "f-attention": "aandacht"}
    for client, case, status in ((ours, world.case, 302), (theirs, world.other_case, 400)):
        url = reverse("cases:in_session", args=[case.pk, "forearm-stroking"])
        assert client.post(url, data).status_code == status
    assert SessionRecord.objects.get().case == world.case


def test_a_request_id_of_another_partners_log_is_refused(world: World) -> None:
    assignment = _assign(world, "sensate-focus")
    url = reverse("diary:exercise", args=[assignment.pk])
    data = _log_form()
    assert client_for(world.user_a).post(url, data).status_code == 302
    assert client_for(world.user_b).post(url, data).status_code == 400
    assert Log.objects.get().partner == world.partner_a
    data = _entry_form()
    boundary = _assign(world, "loving-boundary")
    url = reverse("diary:exercise", args=[boundary.pk])
    assert client_for(world.user_a).post(url, data).status_code == 302
    assert client_for(world.user_b).post(url, data).status_code == 400
    assert Entry.objects.get().partner == world.partner_a


def test_a_request_id_of_another_partners_invitation_makes_no_link(
    world: World, new_case: Case
) -> None:
    client = client_for(world.therapist)
    data = {"request_id": str(uuid.uuid4())}
    client.post(reverse("cases:invite", args=[new_case.pk, "A"]), data)
    response = client.post(reverse("cases:invite", args=[new_case.pk, "B"]), data, follow=True)
    assert response.status_code == 200
    assert "niet volledig" in response.content.decode()
    assert Invitation.objects.filter(partner__case=new_case, partner__slot="A").count() == 1
    assert not Invitation.objects.filter(partner__case=new_case, partner__slot="B").exists()


def test_both_invitation_forms_on_the_case_page_make_their_own_link(
    world: World, new_case: Case
) -> None:
    client = client_for(world.therapist)
    page = client.get(reverse("cases:detail", args=[new_case.pk])).content.decode()
    ids = re.findall(r'name="request_id" value="([0-9a-f-]{36})"', page)
    assert len(ids) == 2 and ids[0] != ids[1]
    for slot, request_id in zip("AB", ids, strict=True):
        url = reverse("cases:invite", args=[new_case.pk, slot])
        assert client.post(url, {"request_id": request_id}).status_code == 302
    for slot in "AB":
        assert Invitation.objects.filter(partner__case=new_case, partner__slot=slot).count() == 1


# --- really at once, on PostgreSQL ----------------------------------------------------------


def _at_once(clients: list[Client], send: Callable[[Client], Any]) -> list[int]:
    """Let every client send at the same moment; each answer's status (500 for an exception)."""
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def run(client: Client) -> None:
        try:
            start.wait()
            statuses.append(send(client).status_code)
        except Exception:  # any exception is the server error looked for
            statuses.append(500)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


# A second writer needs PostgreSQL or SQLite in a file; on the in-memory SQLite test
# database tests/test_second_writer.py runs this test in a file database instead.
needs_second_writer = pytest.mark.second_writer


@needs_second_writer
@pytest.mark.django_db(transaction=True)
def test_ten_senders_at_once(world: World, new_case: Case) -> None:
    sensate = _assign(world, "sensate-focus")
    boundary = _assign(world, "loving-boundary")
    hug = _assign(world, "hug-till-relaxed")
    therapists = [client_for(world.therapist) for _ in range(SENDERS)]
    partners = [client_for(world.user_a) for _ in range(SENDERS)]
    invite = {"request_id": str(uuid.uuid4())}
    log, entry, case = _log_form(), _entry_form(), _case_form()
    observation = {**_session_form(), "f-attention": "samen"}
    in_session = reverse("cases:in_session", args=[world.case.pk, "forearm-stroking"])
    start = timezone.now()
    run = {
        "run": "run-at-once-0001",
        "events": [
            {"id": "ev-start-0001", "kind": "start", "at": start.isoformat(), "slot": ""},
            {
                "id": "ev-stop-00002",
                "kind": "stop",
                "at": (start + timezone.timedelta(minutes=5)).isoformat(),
                "slot": "",
            },
        ],
    }
    Consent.objects.filter(partner=world.partner_a).delete()
    sends: list[tuple[list[Client], Callable[[Client], Any]]] = [
        (therapists, lambda c: c.post(reverse("cases:invite", args=[new_case.pk, "A"]), invite)),
        (partners, lambda c: c.post(reverse("diary:exercise", args=[sensate.pk]), log)),
        (partners, lambda c: c.post(reverse("diary:exercise", args=[boundary.pk]), entry)),
        (
            partners,
            lambda c: c.post(
                reverse("diary:exercise_runs", args=[hug.pk]), run, content_type="application/json"
            ),
        ),
        (therapists, lambda c: c.post(reverse("cases:create"), case)),
        (therapists, lambda c: c.post(in_session, observation)),
        (
            partners,
            lambda c: c.post(reverse("diary:study", args=[world.study.pk]), {"decision": "yes"}),
        ),
    ]
    for clients, send in sends:
        statuses = _at_once(clients, send)
        assert max(statuses) < 500, statuses
    assert Invitation.objects.filter(partner__case=new_case, partner__slot="A").count() == 1
    assert Log.objects.filter(run__isnull=True).count() == 1
    assert Entry.objects.count() == 1
    assert Run.objects.count() == 1 and Log.objects.filter(run__isnull=False).count() == 1
    assert Case.objects.filter(label="Tien keer").count() == 1
    assert Consent.objects.filter(partner=world.partner_a, study=world.study).count() == 1
    assert SessionRecord.objects.count() == 1
