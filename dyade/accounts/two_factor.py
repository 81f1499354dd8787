"""Two-factor authentication (TOTP) for therapists, practice admins and researchers.

Staff accounts reach client data or the audit trail, so a password alone is not
enough: with ``DYADE_REQUIRE_2FA`` on (the default outside a developer machine)
they must set up an authenticator app before they see anything. An account that
has set one up is always asked for its code, whatever the setting. Partners
are not asked: for them a second device is often the very thing that a
controlling partner can inspect.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from dyade.accounts import signed_in
from dyade.accounts.models import Role
from dyade.accounts.navigation import is_static_path

STAFF_ROLES = {Role.THERAPIST, Role.PRACTICE_ADMIN, Role.RESEARCHER}
EXEMPT_PREFIXES = (
    "/account/2fa/",
    "/account/logout/",
    "/account/language/",
    "/exit/",
    "/health/",
)

# In the session: when the verified device was last found in the database, and when
# the user was last found to have no confirmed device (seconds since the epoch).
CHECKED = "_dyade_2fa_checked"
NO_DEVICE = "_dyade_2fa_none"


def _fresh(request: HttpRequest, key: str) -> bool:
    stamp = request.session.get(key, 0)
    return int(time.time()) - stamp < settings.DYADE_SESSION_REFRESH_SECONDS


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_confirmed_device(request: HttpRequest, *, look: bool = False) -> bool:
    """Whether the user has set up a device; "no" is remembered for the refresh interval
    (``look=True`` looks in the database all the same)."""
    if not look and _fresh(request, NO_DEVICE):
        return False
    if confirmed_device(request.user) is not None:
        request.session.pop(NO_DEVICE, None)
        return True
    request.session[NO_DEVICE] = int(time.time())
    return False


def pending_step(request: HttpRequest, *, look: bool = False) -> str | None:
    """``"verify"`` or ``"setup"`` if the signed-in user must do that first, else None."""
    user = request.user
    if not user.is_authenticated or user.role not in STAFF_ROLES:
        return None
    if user.is_verified():  # type: ignore[union-attr]
        return None
    if has_confirmed_device(request, look=look):
        return "verify"
    if settings.DYADE_REQUIRE_2FA:
        return "setup"
    return None


def login(request: HttpRequest, device: Device) -> None:
    """Mark the session as verified by ``device`` (just checked: no look-up for a while)."""
    otp_login(request, device)
    request.session[CHECKED] = int(time.time())
    request.session.pop(NO_DEVICE, None)


def _verified_user(request: HttpRequest, user: Any) -> Any:
    user.otp_device = None
    user.is_verified = lambda: user.otp_device is not None
    if not user.is_authenticated:
        return user
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return user
    if _fresh(request, CHECKED):
        # Found in the database less than the refresh interval ago: trust the session,
        # and load the device only if a page asks for it.
        user.otp_device = SimpleLazyObject(partial(Device.from_persistent_id, persistent_id))
        return user
    device = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != user.pk or not device.confirmed:
        del request.session[DEVICE_ID_SESSION_KEY]
        request.session.pop(CHECKED, None)
        return user
    user.otp_device = device
    request.session[CHECKED] = int(time.time())
    return user


class OTPMiddleware:
    """Like django-otp's OTPMiddleware, without a database look-up on every request.

    django-otp reads the device that verified the session on every request.
    Here the session also remembers when that device was last found (still
    confirmed, still this user's); within ``DYADE_SESSION_REFRESH_SECONDS`` the
    session is trusted. A device that a practice admin resets therefore stops
    counting within that interval (five minutes by default), not at once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if hasattr(request, "user"):
            # One lazy object in front of the user, not two: the user is read here.
            request.user = SimpleLazyObject(partial(_signed_in_user, request))
        return self.get_response(request)


def _signed_in_user(request: HttpRequest) -> Any:
    return _verified_user(request, signed_in.cached_user(request))


class TwoFactorMiddleware:
    """Send a staff user who still owes the second factor to the page that asks for it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if not path.startswith(EXEMPT_PREFIXES) and not is_static_path(path):
            step = pending_step(request)
            if step is not None:
                target = reverse(f"accounts:2fa_{step}")
                return redirect(f"{target}?next={path}")
        return self.get_response(request)


def setup_device(user: Any) -> TOTPDevice:
    """The user's unconfirmed device, made on first use (its secret shown until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Dyade", confirmed=False)
    return device


def remove_devices(user: Any) -> int:
    """Remove the user's authenticators and recovery codes (a reset); how many authenticators."""
    _total, per_model = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return per_model.get(TOTPDevice._meta.label, 0)


def secret_for_manual_entry(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_svg(device: TOTPDevice) -> SafeString:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    markup = image.to_string(encoding="unicode")
    # qrcode writes only path data derived from the URL; no user text is embedded.
    return mark_safe(markup)  # noqa: S308
