"""A diary in a minute (issue 17): few items for a new case, follow-ups only when they
apply, each day's page about that day, limits shown before they bite, and a diary
kept on the phone while offline that is counted once when it arrives."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
from pathlib import Path

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from dyade.audit.models import AuditEvent
from dyade.clinic import diary as rules
from dyade.diary import defaults, services
from dyade.diary.models import DiaryEntry, DiaryItems
from tests.conftest import World, client_for
from tests.diary_data import diary_form

QUEUED = {"HTTP_X_DYADE_QUEUED": "1"}
STATIC = Path(__file__).resolve().parent.parent / "dyade" / "static" / "dyade"


def url_for(day: dt.date) -> str:
    return reverse("diary:entry", args=[day.isoformat()])


def today() -> dt.date:
    return timezone.localdate()


def speaks(world: World, language: str) -> None:
    world.user_a.language = language
    world.user_a.save(update_fields=["language"])


def page(world: World, day: dt.date, language: str = "nl") -> str:
    speaks(world, language)
    response = client_for(world.user_a).get(url_for(day))
    assert response.status_code == 200
    return response.content.decode()


def optional_names(body: str) -> set[str]:
    return {name for name in rules.OPTIONAL if f'name="{name}"' in body}


# --- the short default ----------------------------------------------------------


def test_a_new_case_asks_only_the_default_items(world: World) -> None:
    assert not DiaryItems.objects.filter(case=world.case).exists()
    assert services.disabled_items(world.partner_a) == list(defaults.OFF_FOR_A_NEW_CASE)
    assert optional_names(page(world, today())) == {"initiator"}
    assert set(defaults.ON_FOR_A_NEW_CASE) | set(defaults.OFF_FOR_A_NEW_CASE) == set(rules.OPTIONAL)


def test_the_items_page_of_a_new_case_shows_the_default_and_the_therapist_adds_more(
    world: World,
) -> None:
    url = reverse("cases:diary_items", args=[world.case.pk])
    therapist = client_for(world.therapist)
    body = therapist.get(url).content.decode()
    checked = set(re.findall(r'value="([a-z_]+)" checked', body))
    assert checked == {"initiator"}
    assert therapist.post(url, {"on": ["initiator", "perceived_mood"]}).status_code == 302
    assert optional_names(page(world, today())) == {"initiator", "perceived_mood"}


def test_a_case_that_existed_before_keeps_every_item(world: World) -> None:
    """Migration 0003 gives each existing case a row with every item on, and
    leaves a row a therapist saved alone."""
    DiaryItems.objects.create(case=world.other_case, disabled=["motive"])
    migration = importlib.import_module(
        "dyade.diary.migrations.0003_existing_cases_keep_their_items"
    )
    migration.keep_all_items(apps, None)
    assert DiaryItems.objects.get(case=world.case).disabled == []
    assert DiaryItems.objects.get(case=world.other_case).disabled == ["motive"]
    assert optional_names(page(world, today())) == set(rules.OPTIONAL)


# --- follow-ups only when they apply ----------------------------------------------


def test_follow_ups_say_when_they_apply_and_are_hidden_by_the_script(world: World) -> None:
    body = page(world, today(), "en")
    box = re.search(r'<fieldset[^>]*id="around-sex"[^>]*>', body)
    assert box is not None and 'data-show-if="sexual_contact=yes"' in box.group(0)
    assert "Only if there was sexual contact" in body
    assert "hidden" not in box.group(0)  # without the script it stays visible
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)  # no inline script (CSP)
    script = (STATIC / "dyade.js").read_text()
    assert "data-show-if" in script and "box.hidden" in script


def test_a_follow_up_answer_that_does_not_apply_is_ignored(world: World) -> None:
    client = client_for(world.user_a)
    response = client.post(url_for(today()), diary_form(sexual_contact="no", initiator="me"))
    assert response.status_code == 302
    assert DiaryEntry.objects.get(partner=world.partner_a, date=today()).initiator == ""
    client.post(url_for(today()), diary_form(sexual_contact="yes", initiator="partner"))
    assert DiaryEntry.objects.get(partner=world.partner_a, date=today()).initiator == "partner"


def test_an_item_the_therapist_switched_off_is_not_saved_even_when_sent(world: World) -> None:
    client_for(world.user_a).post(url_for(today()), diary_form(perceived_mood="3"))
    assert DiaryEntry.objects.get(partner=world.partner_a, date=today()).perceived_mood is None


# --- each day's page speaks of that day ---------------------------------------------


def test_yesterdays_page_asks_about_yesterday(world: World) -> None:
    DiaryItems.objects.create(case=world.case, disabled=[])
    yesterday = today() - dt.timedelta(days=1)
    dutch = page(world, yesterday, "nl")
    assert "vandaag" not in dutch.lower()
    assert "Hoe dicht voelde je je gisteren bij je partner?" in dutch
    assert "Gisteren" in dutch
    english = page(world, yesterday, "en")
    assert "today" not in english.lower()
    assert "How close did you feel to your partner yesterday?" in english
    assert "Was there a bid for sex yesterday, and how was it answered?" in english
    todays = page(world, today(), "nl")
    assert "Hoe dicht voelde je je vandaag bij je partner?" in todays
    assert "gisteren bij" not in todays


def test_an_invalid_post_for_yesterday_still_asks_about_yesterday(world: World) -> None:
    yesterday = today() - dt.timedelta(days=1)
    speaks(world, "en")
    response = client_for(world.user_a).post(url_for(yesterday), diary_form(closeness="11"))
    assert response.status_code == 200
    assert "How close did you feel to your partner yesterday?" in response.content.decode()


def test_a_shared_form_field_keeps_todays_words_after_a_yesterday_page(world: World) -> None:
    """The diary's fields are shared by all forms (for speed): yesterday's words must
    not leak into the next page for today."""
    page(world, today() - dt.timedelta(days=1), "en")
    assert "How close did you feel to your partner today?" in page(world, today(), "en")


# --- limits shown before they bite ---------------------------------------------------


def test_the_note_shows_its_limit_and_the_browser_does_not_cut_it(world: World) -> None:
    body = page(world, today(), "en")
    area = re.search(r"<textarea[^>]*>", body)
    assert area is not None
    assert "maxlength" not in area.group(0)  # a browser would cut a pasted text silently
    assert f'data-limit="{rules.NOTE_MAX_LENGTH}"' in area.group(0)
    assert f"At most {rules.NOTE_MAX_LENGTH} characters." in body
    assert 'id="note-counter"' in body


def test_a_note_over_the_limit_is_refused_and_kept(world: World) -> None:
    text = ("Een lange dag. " * 300).strip()  # 4,499 characters
    assert len(text) > rules.NOTE_MAX_LENGTH
    speaks(world, "en")
    response = client_for(world.user_a).post(url_for(today()), diary_form(note=text))
    body = response.content.decode()
    assert response.status_code == 200
    assert not DiaryEntry.objects.filter(partner=world.partner_a, date=today()).exists()
    assert f"This note has {len(text)} characters; at most {rules.NOTE_MAX_LENGTH} fit." in body
    assert text in body  # nothing typed is lost


# --- a diary kept on the phone and sent later ------------------------------------------


def test_a_queued_diary_is_saved_once_however_often_it_arrives(world: World) -> None:
    client = client_for(world.user_a)
    first = client.post(url_for(today()), diary_form(note="offline"), **QUEUED)
    assert first.status_code == 200 and first.json() == {"saved": True, "created": True}
    again = client.post(url_for(today()), diary_form(note="offline"), **QUEUED)
    assert again.json() == {"saved": True, "created": False}
    assert DiaryEntry.objects.filter(partner=world.partner_a, date=today()).count() == 1
    events = AuditEvent.objects.filter(partner_id=world.partner_a.pk, event__startswith="diary.")
    assert events.filter(event="diary.create").count() == 1


def test_a_queued_diary_with_bad_answers_is_refused_and_saves_nothing(world: World) -> None:
    response = client_for(world.user_a).post(url_for(today()), diary_form(closeness="12"), **QUEUED)
    assert response.status_code == 400 and response.json()["saved"] is False
    assert not DiaryEntry.objects.filter(partner=world.partner_a, date=today()).exists()
    assert AuditEvent.objects.filter(event="diary.create", outcome="invalid").exists()


def test_a_queued_diary_for_a_closed_day_is_refused_and_audited(world: World) -> None:
    old = today() - dt.timedelta(days=5)  # the day of the world's entry_a_private
    before = DiaryEntry.objects.get(partner=world.partner_a, date=old).closeness
    response = client_for(world.user_a).post(url_for(old), diary_form(closeness="9"), **QUEUED)
    assert response.status_code == 409 and response.json()["saved"] is False
    assert DiaryEntry.objects.get(partner=world.partner_a, date=old).closeness == before
    assert AuditEvent.objects.filter(event="diary.update", outcome="denied").exists()


def test_a_queued_send_by_someone_else_saves_nothing_for_the_partner(world: World) -> None:
    """The day's address is the same for everyone; the entry goes to whoever is
    logged in, so another partner, a therapist or a stranger cannot write A's diary."""
    for person in (world.user_b, world.therapist, world.researcher, None):
        client_for(person).post(url_for(today()), diary_form(), **QUEUED)
    assert not DiaryEntry.objects.filter(partner=world.partner_a, date=today()).exists()


# --- the installable app -----------------------------------------------------------


def test_the_service_worker_is_served_from_the_root_without_client_data(world: World) -> None:
    response = client_for(None).get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response.content == (STATIC / "sw.js").read_bytes()
    assert client_for(None).post("/sw.js").status_code == 405


def test_the_manifest_starts_on_the_partner_home_inside_its_scope() -> None:
    manifest = json.loads((STATIC / "manifest.webmanifest").read_text())
    assert manifest["start_url"].startswith(manifest["scope"])
    assert manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        name = icon["src"].removeprefix("/static/dyade/")
        data = (STATIC / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert f"{width}x{height}" == icon["sizes"]


def test_partner_pages_link_the_manifest(world: World) -> None:
    body = client_for(world.user_a).get(reverse("diary:home")).content.decode()
    assert 'rel="manifest"' in body and "dyade/diary-queue.js" in body
