"""The CSI-4 on the partner's phone: the authors' answer words, stored as the published numbers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dyade.content import instrument
from dyade.questionnaires.display import answer_text
from dyade.questionnaires.models import Administration
from dyade.questionnaires.services import scores_of
from tests.conftest import World, client_for, make_administration


@pytest.mark.django_db
def test_the_partner_chooses_words_and_the_key_scores_numbers(world: World) -> None:
    administration = make_administration(world.partner_a, "csi-4", {}, sent=False)
    client = client_for(world.user_a)
    url = reverse("diary:questionnaire_page", args=[administration.pk, 1])
    page = client.get(url).content.decode()
    assert "Uiterst ongelukkig" in page and "Volmaakt" in page  # Dyade's Dutch words
    assert 'name="q-1" value="6"' in page and 'name="q-2" value="6"' not in page
    response = client.post(url, {"q-1": "4", "q-2": "3", "q-3": "5", "q-4": "2", "action": "next"})
    assert response.status_code == 302
    administration = Administration.objects.get(pk=administration.pk)
    assert administration.answers == {"1": 4, "2": 3, "3": 5, "4": 2}
    administration.status = "submitted"
    result = scores_of(administration)
    assert result is not None
    scores, raised = result
    assert scores == {"total": 14.0} and raised == []  # 14 is above 13.5


@pytest.mark.django_db
def test_an_answer_the_item_does_not_have_is_refused(world: World) -> None:
    administration = make_administration(world.partner_a, "csi-4", {}, sent=False)
    client = client_for(world.user_a)
    url = reverse("diary:questionnaire_page", args=[administration.pk, 1])
    response = client.post(url, {"q-1": "4", "q-2": "6", "action": "next"})
    assert response.status_code == 200  # item 2 has no answer 6: the page comes back
    administration = Administration.objects.get(pk=administration.pk)
    assert administration.answers == {}  # nothing saved half


def test_an_answer_reads_as_its_number_and_words() -> None:
    item = instrument("csi-4").question("1")
    assert item is not None
    assert answer_text(item, 6, "en", {}) == "6 (Perfect)"
    assert answer_text(item, 0, "nl", {}) == "0 (Uiterst ongelukkig)"
