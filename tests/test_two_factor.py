"""Two-step login (TOTP) for staff: set up, asked for, throttled, reset."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from dyade.accounts.recovery import make_codes
from dyade.audit.models import AuditEvent
from tests.conftest import PASSWORD, World, client_for


def code(device: TOTPDevice, offset: int = 0) -> str:
    """The code an authenticator app shows now (``offset`` steps later)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, offset):06d}"


def login(email: str):  # type: ignore[no-untyped-def]
    client = client_for(None)
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def required(settings):  # type: ignore[no-untyped-def]
    settings.DYADE_REQUIRE_2FA = True


@pytest.mark.parametrize("person", ["therapist", "admin", "researcher"])
def test_staff_must_set_up_two_step_login_first(world: World, required: None, person: str) -> None:
    client = login(world.person(person).email)  # type: ignore[union-attr]
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:2fa_setup"))
    page = client.get(response["Location"])
    assert "<svg" in page.content.decode()  # the QR code


def test_partners_are_not_asked(world: World, required: None) -> None:
    client = login(world.user_a.email)
    assert client.get("/me/").status_code == 200


def test_setting_up_then_logging_in_again(world: World, required: None) -> None:
    client = login(world.therapist.email)
    client.get(reverse("accounts:2fa_setup"))
    device = TOTPDevice.objects.get(user=world.therapist)
    wrong = client.post(reverse("accounts:2fa_setup"), {"token": "000000", "next": "/cases/"})
    assert wrong.status_code == 200
    assert "token" in wrong.context["form"].errors
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()  # as if the back-off second had passed
    done = client.post(reverse("accounts:2fa_setup"), {"token": code(device), "next": "/cases/"})
    # The recovery codes are shown once, with the way on to where the user was going.
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    assert done.context["next"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    again = login(world.therapist.email)
    asked = again.get(f"/cases/{world.case.pk}/")
    assert asked["Location"].startswith(reverse("accounts:2fa_verify"))
    assert b"A-private-note-marker" not in asked.content
    ok = again.post(reverse("accounts:2fa_verify"), {"token": code(device, 1), "next": "/cases/"})
    assert ok["Location"] == "/cases/"
    assert again.get(f"/cases/{world.case.pk}/").status_code == 200


def test_a_set_up_device_is_asked_for_even_when_not_required(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DYADE_REQUIRE_2FA = False
    TOTPDevice.objects.create(user=world.therapist, name="Dyade", confirmed=True)
    client = login(world.therapist.email)
    assert client.get("/cases/")["Location"].startswith(reverse("accounts:2fa_verify"))


def test_wrong_codes_are_refused_audited_and_throttled(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    device = TOTPDevice.objects.create(user=world.therapist, name="Dyade", confirmed=True)
    client = login(world.therapist.email)
    for _ in range(3):
        response = client.post(reverse("accounts:2fa_verify"), {"token": "123456"})
        assert response.status_code == 200
    # After failures the device throttles: even the right code is refused for a while.
    response = client.post(reverse("accounts:2fa_verify"), {"token": code(device)})
    assert response.status_code == 200
    assert client.get("/cases/").status_code == 302
    denied = AuditEvent.objects.filter(
        event="auth.login", outcome="denied", user_id=world.therapist.pk
    )
    assert denied.count() >= 3


def test_bad_code_input_gets_a_message(world: World) -> None:
    TOTPDevice.objects.create(user=world.therapist, name="Dyade", confirmed=True)
    client = login(world.therapist.email)
    for token in ["", "abcdef", "12", "1" * 50]:
        response = client.post(reverse("accounts:2fa_verify"), {"token": token})
        assert response.status_code == 200
        assert "token" in response.context["form"].errors


def test_next_cannot_leave_the_site(world: World) -> None:
    device = TOTPDevice.objects.create(user=world.therapist, name="Dyade", confirmed=True)
    client = login(world.therapist.email)
    response = client.post(
        reverse("accounts:2fa_verify"), {"token": code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_practice_admin_resets_a_therapists_device(world: World) -> None:
    TOTPDevice.objects.create(user=world.therapist, name="Dyade", confirmed=True)
    TOTPDevice.objects.create(user=world.other_therapist, name="Dyade", confirmed=True)
    make_codes(world.therapist)
    admin = client_for(world.admin)
    assert admin.post(reverse("practice:reset_2fa", args=[world.therapist.pk])).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.therapist).exists()
    assert not StaticDevice.objects.filter(user=world.therapist).exists()
    # Not a therapist of another practice.
    other = admin.post(reverse("practice:reset_2fa", args=[world.other_therapist.pk]))
    assert other.status_code == 404
    assert TOTPDevice.objects.filter(user=world.other_therapist).exists()
    # And nobody else may reset.
    for person in ("therapist", "partner_a", "researcher"):
        response = client_for(world.person(person)).post(
            reverse("practice:reset_2fa", args=[world.colleague.pk])
        )
        assert response.status_code == 403, person


def test_operator_command_resets_and_is_audited(world: World) -> None:
    TOTPDevice.objects.create(user=world.admin, name="Dyade", confirmed=True)
    make_codes(world.admin)
    call_command("reset_2fa", world.admin.email, stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=world.admin).exists()
    assert not StaticDevice.objects.filter(user=world.admin).exists()  # old codes end too
    event = AuditEvent.objects.get(event="therapist.update", object_id=str(world.admin.pk))
    assert event.practice_id == world.practice.pk
