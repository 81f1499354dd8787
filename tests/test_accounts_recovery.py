"""Recovery codes for two-step login, and a practice whose only admin lost their phone."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dyade.accounts import recovery
from dyade.audit.models import AuditEvent
from tests.conftest import PASSWORD, World, client_for


def code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, offset):06d}"


def password_login(email: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def required(settings):  # type: ignore[no-untyped-def]
    settings.DYADE_REQUIRE_2FA = True


def set_up(email: str) -> tuple[Client, TOTPDevice, list[str]]:
    """Log in for the first time and set up two-step login; the codes shown once."""
    client = password_login(email)
    client.get(reverse("accounts:2fa_setup"))
    device = TOTPDevice.objects.get(user__email=email)
    shown = client.post(reverse("accounts:2fa_setup"), {"token": code(device), "next": "/"})
    assert shown.status_code == 200
    return client, device, list(shown.context["codes"])


def test_ten_codes_are_shown_once_and_only_their_hashes_are_kept(
    world: World, required: None
) -> None:
    client, _device, codes = set_up(world.therapist.email)
    assert len(codes) == 10 and len(set(codes)) == 10
    page = client.get(reverse("accounts:account")).content.decode()
    assert "10" in page  # how many are left is shown, the codes themselves never again
    assert not any(shown in page for shown in codes)
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & {recovery.normalise(shown) for shown in codes}
    assert AuditEvent.objects.filter(
        event="recovery_codes.create", user_id=world.therapist.pk
    ).exists()


def test_a_code_logs_in_at_the_prompt_once(world: World, required: None) -> None:
    _client, _device, codes = set_up(world.therapist.email)
    client = password_login(world.therapist.email)
    assert client.get("/cases/")["Location"].startswith(reverse("accounts:2fa_verify"))
    prompt = client.get(reverse("accounts:2fa_verify")).content.decode()
    assert reverse("accounts:2fa_recovery") in prompt  # the way to use a code is offered
    typed = codes[3].upper().replace("-", " ")  # as someone may type it from paper
    done = client.post(reverse("accounts:2fa_recovery"), {"code": typed})
    assert done["Location"] == reverse("accounts:account")
    assert client.get(f"/cases/{world.case.pk}/").status_code == 200
    assert recovery.remaining(world.therapist) == 9
    event = AuditEvent.objects.filter(event="auth.login", user_id=world.therapist.pk).latest("id")
    assert event.detail == "recovery code used, 9 left"
    # The same code does not work a second time.
    again = password_login(world.therapist.email)
    refused = again.post(reverse("accounts:2fa_recovery"), {"code": codes[3]})
    assert refused.status_code == 200
    assert "code" in refused.context["form"].errors
    assert again.get("/cases/").status_code == 302
    assert AuditEvent.objects.filter(
        event="auth.login", outcome="denied", detail="wrong recovery code"
    ).exists()


def test_wrong_codes_are_throttled(world: World, required: None) -> None:
    _client, _device, codes = set_up(world.therapist.email)
    client = password_login(world.therapist.email)
    for _ in range(3):
        client.post(reverse("accounts:2fa_recovery"), {"code": "aaaaa-bbbbb"})
    # Right after failures even a right code waits its turn (django-otp's back-off).
    response = client.post(reverse("accounts:2fa_recovery"), {"code": codes[0]})
    assert response.status_code == 200
    assert recovery.remaining(world.therapist) == 10


@pytest.mark.parametrize("typed", ["", "abc", "x" * 41, "aaaaa-bbbb0", "\u00b2" * 10])
def test_bad_input_gets_a_message(world: World, required: None, typed: str) -> None:
    set_up(world.therapist.email)
    client = password_login(world.therapist.email)
    response = client.post(reverse("accounts:2fa_recovery"), {"code": typed})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors


def test_new_codes_replace_the_old_ones(world: World, required: None) -> None:
    client, _device, old = set_up(world.therapist.email)
    assert client.get(reverse("accounts:recovery_codes")).status_code == 405  # POST only
    fresh = client.post(reverse("accounts:recovery_codes"))
    new = list(fresh.context["codes"])
    assert len(new) == 10 and not set(new) & set(old)
    assert recovery.use_code(world.therapist, old[0]) is None
    device = recovery.device_of(world.therapist)
    assert device is not None
    device.throttle_reset()  # as if the back-off after the wrong code had passed
    assert recovery.use_code(world.therapist, new[0]) is not None


def test_only_staff_with_two_step_login_make_codes(world: World) -> None:
    for person in ("partner_a", "therapist"):  # the therapist has no device here
        client = client_for(world.person(person))
        assert client.post(reverse("accounts:recovery_codes"))["Location"] == reverse(
            "accounts:account"
        )
    assert not StaticToken.objects.exists()


def test_a_practice_whose_only_admin_lost_their_phone_is_not_stuck(
    world: World, required: None
) -> None:
    """The admin logs in with a password and a recovery code, then moves two-step login to
    a new phone; the old phone's codes stop working."""
    _client, old_phone, codes = set_up(world.admin.email)
    client = password_login(world.admin.email)
    client.post(reverse("accounts:2fa_recovery"), {"code": codes[0]})
    assert client.get(reverse("practice:therapists")).status_code == 200
    page = client.get(reverse("accounts:2fa_new_phone"))
    assert "<svg" in page.content.decode()
    new_phone = TOTPDevice.objects.get(user=world.admin, confirmed=False)
    moved = client.post(reverse("accounts:2fa_new_phone"), {"token": code(new_phone)})
    assert moved["Location"] == reverse("accounts:account")
    assert list(TOTPDevice.objects.filter(user=world.admin)) == [new_phone]
    assert client.get(reverse("practice:audit")).status_code == 200  # still verified
    assert AuditEvent.objects.filter(event="two_factor.update", user_id=world.admin.pk).exists()
    # The next login asks for the new phone's code; the old phone's is refused.
    later = password_login(world.admin.email)
    refused = later.post(reverse("accounts:2fa_verify"), {"token": code(old_phone, 1)})
    assert refused.status_code == 200
    new_phone.refresh_from_db()
    new_phone.throttle_reset()
    accepted = later.post(
        reverse("accounts:2fa_verify"), {"token": code(new_phone, 1), "next": "/practice/"}
    )
    assert accepted["Location"] == "/practice/"
