"""Creating cases and inviting partners."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dyade.cases.models import Case, Invitation, Partner
from tests.conftest import World, client_for

NEW_COUPLE = {
    "label": "Noor & Fleur",
    "kind": "couple",
    "a_name": "Noor",
    "a_email": "noor@partner.example",
    "a_language": "nl",
    "b_name": "Fleur",
    "b_email": "",
    "b_language": "en",
}


def create(client, **changes: str):  # type: ignore[no-untyped-def]
    data = {**NEW_COUPLE, "request_id": str(uuid.uuid4()), **changes}
    return client.post(reverse("cases:create"), data)


def test_a_therapist_creates_a_couple_case(world: World) -> None:
    response = create(client_for(world.therapist))
    case = Case.objects.get(label="Noor & Fleur")
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.practice == world.practice
    assert list(case.therapists.all()) == [world.therapist]
    assert [(p.slot, p.name, p.language) for p in case.partners.all()] == [
        ("A", "Noor", "nl"),
        ("B", "Fleur", "en"),
    ]


def test_an_individual_case_has_only_partner_a(world: World) -> None:
    create(client_for(world.therapist), kind="individual", b_name="")
    case = Case.objects.get(label="Noor & Fleur")
    assert [p.slot for p in case.partners.all()] == ["A"]


def test_a_couple_needs_partner_b_and_the_form_keeps_what_was_typed(world: World) -> None:
    response = create(client_for(world.therapist), b_name="")
    assert response.status_code == 200
    assert "b_name" in response.context["form"].errors
    assert "noor@partner.example" in response.content.decode()
    assert not Case.objects.filter(label="Noor & Fleur").exists()


def test_a_double_submitted_case_is_created_once(world: World) -> None:
    client = client_for(world.therapist)
    request_id = str(uuid.uuid4())
    first = create(client, request_id=request_id)
    second = create(client, request_id=request_id)
    assert Case.objects.filter(label="Noor & Fleur").count() == 1
    assert first["Location"] == second["Location"]


def test_a_colleague_can_be_assigned_but_not_another_practices_therapist(world: World) -> None:
    client = client_for(world.therapist)
    create(client, co_therapists=str(world.colleague.pk))
    case = Case.objects.get(label="Noor & Fleur")
    assert set(case.therapists.all()) == {world.therapist, world.colleague}
    response = create(client, label="Ander", co_therapists=str(world.other_therapist.pk))
    assert response.status_code == 200
    assert "co_therapists" in response.context["form"].errors


def _invite(world: World, slot: str = "B", request_id: str | None = None):  # type: ignore[no-untyped-def]
    case = Case.objects.get(label="Noor & Fleur")
    return client_for(world.therapist).post(
        reverse("cases:invite", args=[case.pk, slot]),
        {"request_id": request_id or str(uuid.uuid4())},
    )


def test_an_invitation_link_is_made_and_shown_to_the_therapist(world: World) -> None:
    create(client_for(world.therapist))
    _invite(world, "B")
    invitation = Invitation.objects.get(partner__case__label="Noor & Fleur", partner__slot="B")
    page = client_for(world.therapist).get(
        reverse("cases:detail", args=[invitation.partner.case_id])
    )
    assert f"/invite/{invitation.token}/" in page.content.decode()
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=13)
    assert mail.outbox == []  # Fleur has no e-mail address


def test_the_invitation_is_emailed_in_the_partners_language(world: World) -> None:
    create(client_for(world.therapist), a_language="en")
    _invite(world, "A")
    invitation = Invitation.objects.get(partner__case__label="Noor & Fleur", partner__slot="A")
    (message,) = mail.outbox
    assert message.to == ["noor@partner.example"]
    assert f"/invite/{invitation.token}/" in message.body
    assert "invites you" in message.body
    assert "Fleur" not in message.body  # nothing about the other partner


def test_a_double_submitted_invitation_makes_one_link(world: World) -> None:
    create(client_for(world.therapist))
    request_id = str(uuid.uuid4())
    _invite(world, "B", request_id)
    _invite(world, "B", request_id)
    assert (
        Invitation.objects.filter(partner__case__label="Noor & Fleur", partner__slot="B").count()
        == 1
    )


def test_a_new_link_replaces_the_old_one(world: World) -> None:
    create(client_for(world.therapist))
    _invite(world, "B")
    old = Invitation.objects.get(partner__case__label="Noor & Fleur", partner__slot="B")
    _invite(world, "B")
    assert client_for(None).get(reverse("accept_invitation", args=[old.token])).status_code == 404


ACCEPT = {
    "email": "fleur@partner.example",
    "password1": "een-lang-wachtwoord-42",
    "password2": "een-lang-wachtwoord-42",
    "language": "en",
}


def _fleur_link(world: World) -> str:
    create(client_for(world.therapist))
    _invite(world, "B")
    return reverse(
        "accept_invitation",
        args=[Invitation.objects.get(partner__case__label="Noor & Fleur", partner__slot="B").token],
    )


def test_accepting_creates_the_partner_account_once(world: World) -> None:
    link = _fleur_link(world)
    client = client_for(None)
    response = client.post(link, ACCEPT)
    assert response["Location"] == reverse("diary:home")
    partner = Partner.objects.get(case__label="Noor & Fleur", slot="B")
    assert partner.user is not None
    assert partner.user.email == "fleur@partner.example"
    assert partner.user.role == "partner"
    assert partner.user.language == "en"
    assert partner.user.practice == world.practice
    assert client.get(reverse("diary:home")).status_code == 200
    # Single use: the same link now shows the "cannot be used" page and makes nothing.
    again = client_for(None).post(link, {**ACCEPT, "email": "other@partner.example"})
    assert again.status_code == 404
    assert not Partner.objects.filter(user__email="other@partner.example").exists()


def test_an_expired_link_cannot_be_used(world: World) -> None:
    link = _fleur_link(world)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client_for(None).get(link).status_code == 404
    assert client_for(None).post(link, ACCEPT).status_code == 404


def test_a_guessed_token_shows_nothing(world: World) -> None:
    response = client_for(None).get(reverse("accept_invitation", args=["x" * 43]))
    assert response.status_code == 404
    assert "Noor" not in response.content.decode()


def test_accept_form_errors_keep_what_was_typed(world: World) -> None:
    link = _fleur_link(world)
    response = client_for(None).post(link, {**ACCEPT, "password2": "anders"})
    assert response.status_code == 200
    assert "fleur@partner.example" in response.content.decode()
    assert "password2" in response.context["form"].errors
    response = client_for(None).post(link, {**ACCEPT, "email": "a@partner.example"})
    assert "email" in response.context["form"].errors  # already taken


def test_a_signed_in_person_cannot_use_an_invitation(world: World) -> None:
    link = _fleur_link(world)
    assert client_for(world.user_a).post(link, ACCEPT).status_code == 409
    assert Partner.objects.get(case__label="Noor & Fleur", slot="B").user is None


def test_no_new_link_for_a_partner_who_joined(world: World) -> None:
    client_for(world.therapist).post(
        reverse("cases:invite", args=[world.case.pk, "A"]), {"request_id": str(uuid.uuid4())}
    )
    assert not Invitation.objects.filter(partner=world.partner_a).exists()


def test_case_page_shows_both_series_and_last_dates(world: World) -> None:
    body = client_for(world.therapist).get(reverse("cases:detail", args=[world.case.pk]))
    html = body.content.decode()
    assert html.count('<svg class="chart"') == 2
    assert "partner-a" in html and "partner-b" in html
    assert "polyline" in html or "<circle" in html
