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
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from dyade.accounts.models import Role
from dyade.accounts.navigation import is_static_path

STAFF_ROLES = {Role.THERAPIST, Role.PRACTICE_ADMIN, Role.RESEARCHER}
EXEMPT_PREFIXES = ("/account/2fa/", "/account/logout/", "/account/language/", "/exit/")


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_step(request: HttpRequest) -> str | None:
    """``"verify"`` or ``"setup"`` if the signed-in user must do that first, else None."""
    user = request.user
    if not user.is_authenticated or user.role not in STAFF_ROLES:
        return None
    if user.is_verified():  # type: ignore[union-attr]
        return None
    if confirmed_device(user) is not None:
        return "verify"
    if settings.DYADE_REQUIRE_2FA:
        return "setup"
    return None


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


def secret_for_manual_entry(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_svg(device: TOTPDevice) -> SafeString:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    markup = image.to_string(encoding="unicode")
    # qrcode writes only path data derived from the URL; no user text is embedded.
    return mark_safe(markup)  # noqa: S308
