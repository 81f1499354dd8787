"""The therapist scores their own ECR-R answers on their profile page (issue 14).

Expected means are worked by hand from the published key (Fraley, Waller &
Brennan 2000): anxiety = mean of items 1-18, avoidance = mean of 19-36,
reverse-keyed 9, 11, 20, 22, 26-31, 33-36 (8 - answer).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from dyade.audit.models import AuditEvent
from dyade.reflection.models import TherapistProfile
from tests.conftest import World, client_for

URL = "reflection:profile"


def answers(value: int = 6, **overrides: str) -> dict[str, str]:
    data = {"form": "ecr-r", **{f"item_{n}": str(value) for n in range(1, 37)}}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_answers_are_scored_with_the_published_key(world: World) -> None:
    client = client_for(world.therapist)
    response = client.post(reverse(URL), answers(6))
    assert response.status_code == 302
    profile = TherapistProfile.objects.get(user=world.therapist)
    # anxiety: 16 x 6 + 2 reversed items (9, 11) x 2 = 100 / 18 = 5.56
    assert profile.attachment_anxiety == Decimal("5.56")
    # avoidance: 6 x 6 + 12 reversed items x 2 = 60 / 18 = 3.33
    assert profile.attachment_avoidance == Decimal("3.33")
    page = client.get(reverse(URL)).content.decode()
    assert 'value="5.56"' in page and 'value="3.33"' in page


@pytest.mark.django_db
def test_three_missing_per_half_are_scored_four_are_not(world: World) -> None:
    client = client_for(world.therapist)
    gaps = {f"item_{n}": "" for n in (1, 2, 3, 19, 20, 21)}
    assert client.post(reverse(URL), answers(4, **gaps)).status_code == 302
    profile = TherapistProfile.objects.get(user=world.therapist)
    assert profile.attachment_anxiety == Decimal("4.00")
    assert profile.attachment_avoidance == Decimal("4.00")
    more = {**gaps, "item_4": ""}
    response = client.post(reverse(URL), answers(7, **more))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="form-errors"' in page and 'class="error"' in page
    assert 'name="item_5" value="7"' in page  # what was typed is kept
    profile.refresh_from_db()
    assert profile.attachment_anxiety == Decimal("4.00")  # nothing saved


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["0", "8", "three", "4.5", "-1"])
def test_an_answer_out_of_range_is_refused_and_nothing_is_saved(world: World, bad: str) -> None:
    client = client_for(world.therapist)
    response = client.post(reverse(URL), answers(5, item_12=bad))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="form-errors"' in page
    assert f'name="item_12" value="{bad}"' in page  # what was typed is shown again
    assert not TherapistProfile.objects.filter(user=world.therapist).exists()
    assert AuditEvent.objects.filter(event="reflection.update", outcome="invalid").exists()


@pytest.mark.django_db
def test_sending_twice_keeps_one_profile_and_the_balance(world: World) -> None:
    client = client_for(world.therapist)
    client.post(reverse(URL), {"balance_self": "3"})
    client.post(reverse(URL), answers(2))
    client.post(reverse(URL), answers(2))
    profile = TherapistProfile.objects.get(user=world.therapist)
    assert TherapistProfile.objects.filter(user=world.therapist).count() == 1
    assert profile.balance_self == 3
    # anxiety: 16 x 2 + 2 x 6 = 44 / 18 = 2.44; avoidance: 6 x 2 + 12 x 6 = 84 / 18 = 4.67
    assert (profile.attachment_anxiety, profile.attachment_avoidance) == (
        Decimal("2.44"),
        Decimal("4.67"),
    )
    assert AuditEvent.objects.filter(event="reflection.update", outcome="success").count() == 3


@pytest.mark.django_db
def test_only_the_therapist_scores_their_own(world: World) -> None:
    for person in (world.user_a, world.user_b, world.admin, world.researcher):
        assert client_for(person).post(reverse(URL), answers(6)).status_code == 403
    stranger = client_for(None).post(reverse(URL), answers(6))
    assert stranger.status_code == 302 and "login" in stranger["Location"]
    client_for(world.colleague).post(reverse(URL), answers(1))
    assert not TherapistProfile.objects.filter(user=world.therapist).exists()
    colleague = TherapistProfile.objects.get(user=world.colleague)
    page = client_for(world.therapist).get(reverse(URL)).content.decode()
    assert f'value="{colleague.attachment_anxiety}"' not in page
