"""A screen that must show the other language says so, and the therapist is warned (issue 17).

The practice imported the ECR-R's item texts in Dutch only (a licence often covers one
translation). An English-speaking partner then gets the questions in Dutch: the page tells
them, and the therapist sees it beside the questionnaire's name when giving it.
"""

from __future__ import annotations

import uuid

from django.urls import reverse

from dyade.content import current_instruments
from dyade.questionnaires.models import Administration
from tests.conftest import World, client_for, import_item_texts

NOTICE_EN = "The questions of this questionnaire exist only in Dutch"


def _give_ecr_to_a(world: World) -> str:
    client_for(world.therapist).post(
        reverse("cases:assign_questionnaire", args=[world.case.pk]),
        {"request_id": str(uuid.uuid4()), "instrument": "ecr-r", "who": "A"},
    )
    administration = Administration.objects.get(instrument="ecr-r", partner=world.partner_a)
    return reverse("diary:questionnaire_page", args=[administration.pk, 1])


def test_an_english_partner_is_told_the_questions_are_dutch(world: World) -> None:
    import_item_texts(world.practice, "ecr-r", 36, language="nl")
    world.user_a.language = "en"
    world.user_a.save(update_fields=["language"])
    html = client_for(world.user_a).get(_give_ecr_to_a(world)).content.decode()
    assert NOTICE_EN in html


def test_no_notice_when_the_questions_exist_in_the_partners_language(world: World) -> None:
    import_item_texts(world.practice, "ecr-r", 36, language="nl")
    import_item_texts(world.practice, "ecr-r", 36, language="en")
    world.user_a.language = "en"
    world.user_a.save(update_fields=["language"])
    html = client_for(world.user_a).get(_give_ecr_to_a(world)).content.decode()
    assert NOTICE_EN not in html


def test_a_dutch_partner_sees_no_notice(world: World) -> None:
    import_item_texts(world.practice, "ecr-r", 36, language="nl")
    html = client_for(world.user_a).get(_give_ecr_to_a(world)).content.decode()
    assert "bestaan alleen in het" not in html


def test_a_dutch_partner_is_told_when_the_questions_are_english(world: World) -> None:
    import_item_texts(world.practice, "ecr-r", 36, language="en")
    html = client_for(world.user_a).get(_give_ecr_to_a(world)).content.decode()
    assert "bestaan alleen in het Engels" in html


def test_the_therapist_is_warned_when_giving_it(world: World) -> None:
    import_item_texts(world.practice, "ecr-r", 36, language="nl")
    for language, warning in (
        ("nl", "(vragen alleen in het Nederlands)"),
        ("en", "(questions only in Dutch)"),
    ):
        world.therapist.language = language
        world.therapist.save(update_fields=["language"])
        html = client_for(world.therapist).get(
            reverse("cases:questionnaires", args=[world.case.pk])
        )
        assert warning in html.content.decode()
    import_item_texts(world.practice, "ecr-r", 36, language="en")
    html = client_for(world.therapist).get(reverse("cases:questionnaires", args=[world.case.pk]))
    ecr = next(i for i in current_instruments() if i.id == "ecr-r")
    assert f"{ecr.titles['en']} (questions only" not in html.content.decode()
