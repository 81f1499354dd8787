"""A partner's own progress chart, and the choice to show it to the other partner.

The other partner sees a chart only while its author shares it, only for
joint sessions, and never the author's alliance answers: not the scores, not
a count, not whether they were given.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from dyade.audit.models import AuditEvent
from dyade.progress.models import Sharing
from tests.conftest import World, client_for
from tests.progress.helpers import add_sessions

pytestmark = pytest.mark.django_db
PAGE = "/me/progress/"
SHARE = "/me/progress/share/"


def _sessions(world: World) -> None:
    # A rates the alliance; B does not. The second session was with A alone.
    add_sessions(
        world.case,
        world.therapist,
        {"A": [7, 9, 11, 16], "B": [12, None, 13, 15]},
        {"A": [3, 4, 3, 2]},
        attendance=["both", "A", "both", "both"],
    )


def _section(html: str, name: str) -> str:
    marker = f'id="{name}"'
    return html.split(marker)[1].split("</section>")[0] if marker in html else ""


def test_a_partner_sees_their_own_chart_and_alliance(world: World) -> None:
    _sessions(world)
    html = client_for(world.user_a).get(PAGE).content.decode()
    assert _section(html, "mine").count('<circle class="dot partner-a') == 4
    assert _section(html, "my-alliance").count('<circle class="dot partner-a') == 4
    assert 'id="theirs"' not in html  # B has not shared


def test_the_other_partner_sees_nothing_until_it_is_shared(world: World) -> None:
    _sessions(world)
    html = client_for(world.user_b).get(PAGE).content.decode()
    assert 'id="theirs"' not in html
    assert "partner-a" not in html
    assert 'id="my-alliance"' not in html  # B gave no alliance answers; A's are not shown


def test_shared_the_other_partner_sees_the_outcome_of_joint_sessions_only(world: World) -> None:
    _sessions(world)
    response = client_for(world.user_a).post(SHARE, {"shared": "yes"})
    assert response.status_code == 302
    html = client_for(world.user_b).get(PAGE).content.decode()
    theirs = _section(html, "theirs")
    assert theirs.count('<circle class="dot partner-a') == 3  # not the session A had alone
    assert 'id="my-alliance"' not in html  # A's alliance answers never reach B
    assert html.count('<circle class="dot partner-a') == 3
    event = AuditEvent.objects.get(event="progress.read", user_id=world.user_b.pk, partner_slot="A")
    assert event.detail == "shared with the partner"


def test_stopping_sharing_hides_the_chart_again(world: World) -> None:
    _sessions(world)
    client_a = client_for(world.user_a)
    client_a.post(SHARE, {"shared": "yes"})
    client_a.post(SHARE, {"shared": "no"})
    html = client_for(world.user_b).get(PAGE).content.decode()
    assert 'id="theirs"' not in html


def test_the_same_choice_sent_twice_leaves_one_row(world: World) -> None:
    client_a = client_for(world.user_a)
    client_a.post(SHARE, {"shared": "yes"})
    client_a.post(SHARE, {"shared": "yes"})
    assert Sharing.objects.filter(partner=world.partner_a).count() == 1
    assert Sharing.objects.get(partner=world.partner_a).shared is True
    assert AuditEvent.objects.filter(event="progress.update").count() == 2


@pytest.mark.parametrize("value", ["", "maybe", "1"])
def test_a_bad_choice_changes_nothing_and_says_so(world: World, value: str) -> None:
    response = client_for(world.user_a).post(SHARE, {"shared": value}, follow=True)
    assert response.status_code == 200
    assert not Sharing.objects.exists()
    assert list(response.context["messages"])


def test_sharing_is_only_a_post(world: World) -> None:
    assert client_for(world.user_a).get(SHARE).status_code == 405


def test_the_partner_of_another_case_sees_nothing_shared(world: World) -> None:
    from dyade.accounts.models import Role
    from dyade.cases.models import Partner
    from tests.conftest import make_user

    _sessions(world)
    client_for(world.user_a).post(SHARE, {"shared": "yes"})
    outsider = make_user("ines@partner.example", Role.PARTNER, world.other_practice, "Ines")
    Partner.objects.filter(pk=world.other_partner.pk).update(user=outsider)
    html = client_for(outsider).get(PAGE).content.decode()
    assert '<circle class="dot' not in html and 'id="theirs"' not in html


@pytest.mark.parametrize("name", ["therapist", "other_therapist", "admin", "researcher"])
def test_staff_have_no_partner_page(world: World, name: str) -> None:
    _sessions(world)
    client = client_for(world.person(name))
    assert client.get(PAGE).status_code == 403
    assert client.post(SHARE, {"shared": "yes"}).status_code == 403
    assert not Sharing.objects.exists()


def test_a_stranger_is_sent_to_log_in(world: World) -> None:
    response = client_for(None).get(PAGE)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("value", ["yes\x00", "y" * 5000, "ja"])
def test_hostile_choices_are_refused_without_a_server_error(world: World, value: str) -> None:
    response = client_for(world.user_a).post(SHARE, {"shared": value})
    assert response.status_code in (302, 400)
    assert not Sharing.objects.exists()


def test_a_partner_reads_in_words_that_the_therapist_looked_at_their_progress(
    world: World,
) -> None:
    # (What the other partner did is never shown there: see dyade.rights.access.)
    _sessions(world)
    client_for(world.therapist).get(reverse("cases:progress", args=[world.case.pk]))
    html = client_for(world.user_a).get(reverse("rights:seen")).content.decode()
    assert "je voortgang over de sessies" in html
