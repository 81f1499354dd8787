"""A study cannot open without its information in each language its partners read (issue 17)."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from django.utils import timezone

from dyade.research.models import Study, StudyStatus
from tests.conftest import World, client_for


def _form(**changes: Any) -> dict[str, Any]:
    return {
        "request_id": str(uuid.uuid4()),
        "title": "Dagelijkse nabijheid",
        "information_nl": "Wat de studie vraagt.",
        "information_en": "",
        "data_from": timezone.localdate().isoformat(),
        "status": "open",
        **changes,
    }


def test_a_dutch_only_study_cannot_open_when_a_partner_reads_english(world: World) -> None:
    world.partner_b.language = "en"
    world.partner_b.save(update_fields=["language"])
    response = client_for(world.admin).post(reverse("practice:study_new"), _form())
    assert response.status_code == 200
    assert "information_en" in response.context["form"].errors
    assert "Wat de studie vraagt." in response.content.decode()  # what was typed is kept
    assert not Study.objects.filter(title="Dagelijkse nabijheid").exists()


def test_the_partners_account_language_counts_too(world: World) -> None:
    world.user_a.language = "en"
    world.user_a.save(update_fields=["language"])
    response = client_for(world.admin).post(reverse("practice:study_new"), _form())
    assert "information_en" in response.context["form"].errors


def test_with_english_information_it_opens(world: World) -> None:
    world.partner_b.language = "en"
    world.partner_b.save(update_fields=["language"])
    response = client_for(world.admin).post(
        reverse("practice:study_new"), _form(information_en="What the study asks.")
    )
    assert response.status_code == 302
    assert Study.objects.get(title="Dagelijkse nabijheid").status == StudyStatus.OPEN


def test_a_dutch_only_study_may_be_saved_as_a_draft(world: World) -> None:
    world.partner_b.language = "en"
    world.partner_b.save(update_fields=["language"])
    response = client_for(world.admin).post(reverse("practice:study_new"), _form(status="draft"))
    assert response.status_code == 302


def test_a_practice_where_everyone_reads_dutch_needs_no_english(world: World) -> None:
    response = client_for(world.admin).post(reverse("practice:study_new"), _form())
    assert response.status_code == 302


def test_an_english_partner_in_another_practice_does_not_count(world: World) -> None:
    world.other_partner.language = "en"
    world.other_partner.save(update_fields=["language"])
    response = client_for(world.admin).post(reverse("practice:study_new"), _form())
    assert response.status_code == 302


def test_opening_a_draft_later_is_checked_as_well(world: World) -> None:
    draft = world.draft_study()
    draft.information_en = ""
    draft.save(update_fields=["information_en"])
    world.partner_b.language = "en"
    world.partner_b.save(update_fields=["language"])
    data = _form(title=draft.title, data_from=draft.data_from.isoformat())
    response = client_for(world.admin).post(reverse("practice:study", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "information_en" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.status == StudyStatus.DRAFT
