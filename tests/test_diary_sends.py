"""Each send of the diary counts once and never overwrites a newer change (issue 17).

A diary form carries the request id its page was given and the version of the
day's entry it was filled in on. The phone that kept the diary offline sends
those later; these tests play that send against what happened on the server
meanwhile: nothing, the same send arriving again, an edit on another device.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from dyade.audit.models import AuditEvent
from dyade.diary.models import DiaryEntry
from tests.conftest import World, client_for
from tests.diary_data import diary_form

ANSWERS = diary_form(note="Online geschreven.")
QUEUED = {"HTTP_X_DYADE_QUEUED": "1"}


def url() -> str:
    return reverse("diary:entry", args=[timezone.localdate().isoformat()])


def page_form(client, answers: dict[str, str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """``answers`` with the hidden fields the day's page gives right now."""
    page = client.get(url()).content.decode()
    hidden = dict(re.findall(r'type="hidden" name="(request_id|based_on)" value="([^"]*)"', page))
    assert set(hidden) == {"request_id", "based_on"}
    return {**answers, **hidden}


def entries(world: World) -> list[DiaryEntry]:
    return list(DiaryEntry.objects.filter(partner=world.partner_a, date=timezone.localdate()))


def events(world: World, event: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(partner_id=world.partner_a.pk, event=event))


def test_the_page_gives_a_new_request_id_each_time_and_the_version_it_shows(world: World) -> None:
    client = client_for(world.user_a)
    first, second = page_form(client, {}), page_form(client, {})
    assert first["request_id"] != second["request_id"]
    assert first["based_on"] == "0"  # no entry yet
    client.post(url(), {**ANSWERS, **first})
    assert page_form(client, {})["based_on"] == "1"
    assert entries(world)[0].version == 1


def test_an_offline_send_that_arrives_twice_is_counted_once(world: World) -> None:
    phone = client_for(world.user_a)
    kept = page_form(phone, {**ANSWERS, "note": "Offline geschreven."})
    assert phone.post(url(), kept, **QUEUED).json() == {"saved": True, "created": True}
    again = phone.post(url(), kept, **QUEUED)  # the answer was lost: the phone sends again
    assert again.status_code == 200 and again.json() == {"saved": True, "created": False}
    [entry] = entries(world)
    assert (entry.version, entry.note) == (1, "Offline geschreven.")
    assert len(events(world, "diary.create")) == 1
    [repeat] = events(world, "diary.update")
    assert "nothing changed" in repeat.detail and repeat.outcome == "success"


def test_an_offline_send_does_not_overwrite_a_later_online_edit(world: World) -> None:
    phone, laptop = client_for(world.user_a), client_for(world.user_a)
    kept = page_form(phone, {**ANSWERS, "closeness": "2", "note": "Offline geschreven."})
    # Meanwhile, on another device with a connection:
    assert laptop.post(url(), page_form(laptop, ANSWERS)).status_code == 302
    # The phone's connection returns and the kept diary is sent.
    response = phone.post(url(), kept, **QUEUED)
    assert response.status_code == 409
    assert response.json() == {"saved": False, "reason": "newer"}
    [entry] = entries(world)  # one entry, the newer edit
    assert (entry.closeness, entry.note, entry.version) == (7, "Online geschreven.", 1)
    [refused] = events(world, "diary.update")
    assert refused.outcome == "denied" and "changed later" in refused.detail
    # Sent again: still refused, still one entry with the newer answers.
    assert phone.post(url(), kept, **QUEUED).status_code == 409
    assert [e.note for e in entries(world)] == ["Online geschreven."]


def test_an_old_page_saved_online_shows_the_newer_answers_and_what_was_sent(
    world: World,
) -> None:
    tab, phone = client_for(world.user_a), client_for(world.user_a)
    assert tab.post(url(), page_form(tab, ANSWERS)).status_code == 302  # version 1
    old = page_form(tab, {})  # the page shows version 1
    assert phone.post(url(), page_form(phone, {**ANSWERS, "closeness": "9"})).status_code == 302
    sent = {**ANSWERS, **old, "note": "Wat ik in het oude tabblad schreef."}
    response = tab.post(url(), sent)
    assert response.status_code == 409
    body = response.content.decode()
    assert "What you sent was not saved" in body or "niet bewaard" in body
    assert "Wat ik in het oude tabblad schreef." in body  # to copy from
    assert re.search(r'name="closeness" value="9"[^>]*checked', body)  # the newer answers
    fresh = dict(re.findall(r'type="hidden" name="(request_id|based_on)" value="([^"]*)"', body))
    assert fresh["based_on"] == "2" and fresh["request_id"] != old["request_id"]
    [entry] = entries(world)
    assert (entry.closeness, entry.note) == (9, "Online geschreven.")
    # Saving that new form changes the entry.
    assert tab.post(url(), {**ANSWERS, **fresh, "closeness": "4"}).status_code == 302
    assert entries(world)[0].closeness == 4


def test_the_same_form_pressed_again_with_changes_saves_the_changes(world: World) -> None:
    client = client_for(world.user_a)
    form = page_form(client, ANSWERS)
    client.post(url(), form)
    client.post(url(), {**form, "closeness": "1"})  # the same page, changed and sent again
    [entry] = entries(world)
    assert (entry.closeness, entry.version) == (1, 2)


def test_two_devices_that_both_saw_an_empty_day_keep_the_first_save(world: World) -> None:
    phone, laptop = client_for(world.user_a), client_for(world.user_a)
    on_phone, on_laptop = (
        page_form(phone, {**ANSWERS, "closeness": "1"}),
        page_form(laptop, ANSWERS),
    )
    assert laptop.post(url(), on_laptop).status_code == 302
    assert phone.post(url(), on_phone, **QUEUED).json()["reason"] == "newer"
    assert [e.closeness for e in entries(world)] == [7]


def test_a_send_without_the_hidden_fields_changes_the_entry_as_before(world: World) -> None:
    client = client_for(world.user_a)
    client.post(url(), ANSWERS)
    client.post(url(), {**ANSWERS, "closeness": "3"})
    [entry] = entries(world)
    assert (entry.closeness, entry.version, entry.request_id) == (3, 2, None)


@pytest.mark.parametrize(
    "hidden",
    [
        {"based_on": "abc", "request_id": "not-a-uuid"},
        {"based_on": "-1", "request_id": "x" * 500},
        {"based_on": "99999999999999999999", "request_id": ""},
        {"based_on": "²", "request_id": str(uuid.uuid4()) + "\u0000"},
    ],
)
def test_hidden_fields_that_cannot_be_read_never_hold_back_the_answers(
    world: World, hidden: dict[str, str]
) -> None:
    client = client_for(world.user_a)
    response = client.post(url(), {**ANSWERS, **hidden})
    assert response.status_code == 302
    [entry] = entries(world)
    assert (entry.closeness, entry.request_id) == (7, None)


def test_a_request_id_of_the_other_partner_changes_nothing_of_theirs(world: World) -> None:
    a, b = client_for(world.user_a), client_for(world.user_b)
    form_a = page_form(a, ANSWERS)
    a.post(url(), form_a)
    # B sends A's request id and version: it is B's own diary that is written, never A's.
    b.post(url(), {**ANSWERS, **{k: form_a[k] for k in ("request_id", "based_on")}, "note": "B"})
    [entry_a] = entries(world)
    assert (entry_a.note, entry_a.version) == ("Online geschreven.", 1)
    entry_b = DiaryEntry.objects.get(partner=world.partner_b, date=timezone.localdate())
    assert entry_b.note == "B"
    for person in (world.therapist, world.researcher, None):
        client_for(person).post(url(), {**form_a, "note": "niet van jou"}, **QUEUED)
    assert [e.note for e in entries(world)] == ["Online geschreven."]


def test_a_repeat_changes_no_row_and_writes_only_its_audit_event(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.user_a)
    form = page_form(client, ANSWERS)
    client.post(url(), form, **QUEUED)
    [before] = entries(world)
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url(), form, **QUEUED).json()["saved"] is True
    [after] = entries(world)
    assert (after.version, after.updated_at) == (before.version, before.updated_at)
    sqls = [query["sql"] for query in captured.captured_queries]
    assert len([sql for sql in sqls if sql.startswith('INSERT INTO "audit_auditevent"')]) == 1
    # The insert (the page saw an empty day) and the update for its version are tried and
    # change nothing; then the entry is read once, to see that it is the same send.
    assert len([sql for sql in sqls if sql.startswith("SELECT") and "diary_diaryentry" in sql]) == 1
