"""The partner's diary pages: saving, double submits, bad input, the edit window."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dyade.diary.models import DiaryEntry, DiaryItems
from tests.conftest import World, client_for
from tests.diary_data import diary_form

NOTE = "Samen gewandeld."


def good(**changes: str) -> dict[str, str]:
    """A valid day with sexual contact and a note (the note checks encryption at rest)."""
    return diary_form(sexual_contact="yes", note=NOTE) | changes


def url_for(day: dt.date) -> str:
    return reverse("diary:entry", args=[day.isoformat()])


def today() -> dt.date:
    return timezone.localdate()


def test_today_redirects_to_the_dated_form(world: World) -> None:
    response = client_for(world.user_a).get(reverse("diary:today"))
    assert response.status_code == 302
    assert response["Location"] == url_for(today())


def test_saving_today(world: World) -> None:
    response = client_for(world.user_a).post(url_for(today()), good())
    assert response.status_code == 302
    entry = DiaryEntry.objects.get(partner=world.partner_a, date=today())
    assert (entry.closeness, entry.feeling_seen, entry.stress, entry.desire) == (7, 6, 3, 4)
    assert entry.sexual_contact is True
    assert entry.conflict is False
    assert entry.note == "Samen gewandeld."
    assert entry.note_visibility == "private"


def test_a_double_submit_keeps_one_entry_with_the_last_answers(world: World) -> None:
    client = client_for(world.user_a)
    client.post(url_for(today()), good())
    client.post(url_for(today()), good(closeness="9"))
    entries = DiaryEntry.objects.filter(partner=world.partner_a, date=today())
    assert entries.count() == 1
    assert entries.get().closeness == 9


def test_the_database_refuses_a_second_entry_for_the_same_day(world: World) -> None:
    import pytest
    from django.db import IntegrityError, transaction

    from tests.conftest import make_entry

    make_entry(world.partner_a, today())
    with pytest.raises(IntegrityError), transaction.atomic():
        make_entry(world.partner_a, today())


def test_bad_input_is_explained_and_what_was_typed_is_kept(world: World) -> None:
    typed = "Dit wil ik niet kwijtraken."
    response = client_for(world.user_a).post(
        url_for(today()), good(closeness="11", conflict="", note=typed)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert typed in body
    assert re.search(r'name="feeling_seen" value="6"[^>]*checked', body)
    assert re.search(r'name="sexual_contact" value="yes"[^>]*checked', body)
    form = response.context["form"]
    assert set(form.errors) == {"closeness", "conflict"}
    assert not DiaryEntry.objects.filter(partner=world.partner_a, date=today()).exists()


def test_garbage_values_never_cause_a_server_error(world: World) -> None:
    client = client_for(world.user_a)
    for value in ["", "abc", "-1", "5.5", "1e3", "99999999999999999999", "\x00"]:
        response = client.post(url_for(today()), good(stress=value, sexual_contact=value))
        assert response.status_code == 200, value
    too_long = client.post(url_for(today()), good(note="x" * 5000))
    assert too_long.status_code == 200
    assert "x" * 5000 in too_long.content.decode()


def test_yesterday_can_still_be_written(world: World) -> None:
    yesterday = today() - dt.timedelta(days=1)
    response = client_for(world.user_a).post(url_for(yesterday), good())
    assert response.status_code == 302
    assert DiaryEntry.objects.filter(partner=world.partner_a, date=yesterday).exists()


def test_older_entries_are_read_only(world: World) -> None:
    entry = world.entry_a_shared
    client = client_for(world.user_a)
    page = client.get(url_for(entry.date))
    assert page.status_code == 200
    assert b'<form method="post" novalidate class="diary"' not in page.content
    response = client.post(url_for(entry.date), good(closeness="0"))
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.closeness == 5


def test_no_entry_for_a_future_day_or_an_old_empty_day(world: World) -> None:
    client = client_for(world.user_a)
    assert client.post(url_for(today() + dt.timedelta(days=1)), good()).status_code == 404
    assert client.get(url_for(today() - dt.timedelta(days=20))).status_code == 404
    assert client.get("/me/diary/not-a-date/").status_code == 404
    assert not DiaryEntry.objects.filter(date__gt=today()).exists()


def test_the_note_is_encrypted_at_rest(world: World) -> None:
    client_for(world.user_a).post(url_for(today()), good())
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM diary_diaryentry WHERE date = %s", [today()])
        (stored,) = cursor.fetchone()
    assert "gewandeld" not in stored
    assert DiaryEntry.objects.get(partner=world.partner_a, date=today()).note == NOTE


def all_items_on(case: object) -> None:
    """The therapist switched every optional item on (a new case asks few of them)."""
    DiaryItems.objects.update_or_create(case=case, defaults={"disabled": []})


def test_each_question_says_who_will_see_it(world: World) -> None:
    all_items_on(world.case)
    body = client_for(world.user_a).get(url_for(today())).content.decode()
    # shared: closeness, stress, sexual contact, kind of contact, initiative, bid and answer
    assert body.count('class="vis vis-shared"') == 6
    # private: seen, desire, conflict, sexual satisfaction, motive, partner's desire and mood
    assert body.count('class="vis vis-private"') == 7
    assert 'value="private"' in body and 'value="shared"' in body


def test_the_therapist_switches_optional_items_off_for_a_case(world: World) -> None:
    url = reverse("cases:diary_items", args=[world.case.pk])
    therapist = client_for(world.therapist)
    assert therapist.post(url, {"on": ["bid_answer"]}).status_code == 302
    body = client_for(world.user_b).get(url_for(today())).content.decode()
    assert body.count('class="vis vis-shared"') == 4  # closeness, stress, contact, bid
    assert body.count('class="vis vis-private"') == 3
    assert 'name="motive"' not in body and 'name="bid_answer"' in body
    for person in (world.user_a, world.colleague, world.other_therapist):
        assert client_for(person).post(url, {"on": []}).status_code in (403, 404)


def test_contact_answers_are_dropped_on_a_day_without_contact(world: World) -> None:
    all_items_on(world.case)
    data = good(sexual_contact="no", motive="keep-peace", bid_answer="declined")
    assert client_for(world.user_a).post(url_for(today()), data).status_code == 302
    entry = world.partner_a.diary_entries.get(date=today())
    assert entry.motive == "" and entry.bid_answer == "declined"
    bad = good(sexual_contact="yes", motive="duty")
    response = client_for(world.user_a).post(url_for(today()), bad)
    assert response.status_code == 200 and "motive" in response.context["form"].errors


def test_private_diary_answers_about_sex_never_reach_the_other_partner(world: World) -> None:
    all_items_on(world.case)
    data = good(
        contact_kind="touch", motive="avoid-fight", sexual_satisfaction="2", perceived_desire="9"
    )
    client_for(world.user_a).post(url_for(today()), data)
    home_b = client_for(world.user_b).get("/me/").content.decode()
    assert "avoid-fight" not in home_b and "perceived" not in home_b
    from dyade.diary import access as diary_access

    entry = world.partner_a.diary_entries.get(date=today())
    seen_by_b = diary_access.entry_fields(world.user_b, entry)
    assert seen_by_b["contact_kind"] == "touch"
    assert "motive" not in seen_by_b and "sexual_satisfaction" not in seen_by_b
    assert "perceived_desire" not in seen_by_b
    seen_by_therapist = diary_access.entry_fields(world.therapist, entry)
    assert seen_by_therapist["motive"] == "avoid-fight"
    assert seen_by_therapist["perceived_desire"] == 9


def test_a_partner_cannot_share_a_note_beyond_the_two_levels(world: World) -> None:
    response = client_for(world.user_a).post(url_for(today()), good(note_visibility="clinical"))
    assert response.status_code == 200
    assert "note_visibility" in response.context["form"].errors


def test_partner_pages_are_not_cached_and_have_a_quick_exit(world: World) -> None:
    response = client_for(world.user_a).get(reverse("diary:home"))
    assert "no-store" in response["Cache-Control"]
    assert 'id="quick-exit"' in response.content.decode()


def test_quick_exit_ends_the_session_and_leaves(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.user_a)
    response = client.get(reverse("quick_exit"))
    assert response.status_code == 302
    assert response["Location"] == settings.DYADE_QUICK_EXIT_URL
    assert client.get(reverse("diary:home")).status_code == 302


def test_the_quick_exit_is_on_every_page_a_partner_may_see(world: World) -> None:
    client = client_for(world.user_b)
    for path in ("/me/", "/cases/", "/practice/audit/", "/no-such-page/"):
        assert 'id="quick-exit"' in client.get(path).content.decode(), path


def test_the_invitation_page_has_a_quick_exit(world: World) -> None:
    from django.test import RequestFactory

    from dyade.cases.services import issue_invitation

    request = RequestFactory().post("/")
    request.user = world.other_therapist
    invitation, _ = issue_invitation(request, world.other_partner)
    page = client_for(None).get(reverse("accept_invitation", args=[invitation.token]))
    assert 'id="quick-exit"' in page.content.decode()
