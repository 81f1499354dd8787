"""Generated bad input to every account form, as every role: never a server error, and
a request for a password link never writes the typed text anywhere but the form."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyade.accounts.recovery import make_codes
from dyade.audit.models import AuditEvent
from tests.conftest import PEOPLE, World, client_for
from tests.test_hostile_input import EXAMPLES, hostile_text

TARGETS = [
    ("accounts:login", ["username", "password"]),
    ("accounts:password_reset", ["email"]),
    ("accounts:password_change", ["old_password", "new_password1", "new_password2"]),
    ("accounts:2fa_verify", ["token", "next"]),
    ("accounts:2fa_recovery", ["code", "next"]),
    ("accounts:2fa_setup", ["token", "next"]),
    ("accounts:2fa_new_phone", ["token"]),
    ("accounts:recovery_codes", ["anything"]),
    ("accounts:language", ["language", "next"]),
]


@pytest.mark.parametrize("name", PEOPLE)
@pytest.mark.parametrize("with_device", [False, True])
def test_no_generated_input_to_the_account_forms_gives_a_server_error(
    world: World, name: str, with_device: bool
) -> None:
    user = world.person(name)
    if with_device and user is not None:
        TOTPDevice.objects.create(user=user, name="Dyade", confirmed=True)
        make_codes(user)
    client = client_for(user)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def send(data: st.DataObject) -> None:
        url_name, fields = data.draw(st.sampled_from(TARGETS))
        chosen = data.draw(st.lists(st.sampled_from(fields), min_size=1, unique=True))
        values = {field: data.draw(hostile_text) for field in chosen}
        response = client.post(reverse(url_name), values)
        assert response.status_code < 500, (url_name, values)

    send()
    for event in AuditEvent.objects.all():
        assert "\x00" not in event.access_point + event.detail + event.user_agent


@pytest.mark.parametrize("uid", ["%00", "MQ", "\u00b2", "x" * 300, "-1"])
@pytest.mark.parametrize("token", ["set-password", "abc-def", "\u0661" * 5])
def test_made_up_password_links_are_refused_politely(db: None, uid: str, token: str) -> None:
    response = client_for(None).get(f"/account/password/{uid}/{token}/", follow=True)
    assert response.status_code in (200, 400, 404)
    if response.status_code == 200:
        assert response.context["validlink"] is False


@pytest.mark.parametrize(
    "target", ["\u00b2", "home", "cases:list", "//evil.example/", "https://evil.example/"]
)
def test_a_next_that_is_not_a_path_goes_to_the_start(world: World, target: str) -> None:
    """Django's redirect() takes a bare word for a view's name: an unknown one was a 500."""
    TOTPDevice.objects.create(user=world.therapist, name="Dyade", confirmed=True)
    client = client_for(world.therapist)
    for name in ("accounts:2fa_verify", "accounts:2fa_recovery"):
        response = client.get(reverse(name), {"next": target})
        assert response.status_code == 200
        assert response.context["next"] == "/"
    language = client.post(reverse("accounts:language"), {"language": "en", "next": target})
    assert language["Location"] == "/"
