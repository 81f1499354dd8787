"""Recovery codes for two-step login (django-otp's static tokens).

Ten codes are made when two-step login is set up, shown once, and each can be
used once at the two-step prompt instead of a code from the phone. Making new
codes replaces the old ones. The database keeps only a keyed hash of each code
(HMAC-SHA256 with the secret key, 64 bits kept), so a copy of the database does
not hold usable codes. A new secret key ends the codes, unless the old key is
listed in Django's ``SECRET_KEY_FALLBACKS``.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

COUNT = 10
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper
LENGTH = 10  # about 49 bits each
_SALT = "dyade.accounts.recovery"


def _hash(code: str, secret: str) -> str:
    return salted_hmac(_SALT, code, secret=secret, algorithm="sha256").hexdigest()[:16]


def normalise(typed: str) -> str:
    """What was typed, without spaces, dashes or capitals."""
    return "".join(ch for ch in typed.lower() if ch not in " -\t")


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """A code as it is shown: two groups of five."""
    return f"{code[:5]}-{code[5:]}"


def device_of(user: Any) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def remaining(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def make_codes(user: Any) -> list[str]:
    """New codes for ``user``, replacing any old ones; returned once, as shown."""
    codes = [_new_code() for _ in range(COUNT)]
    with transaction.atomic():
        device = device_of(user)
        if device is None:
            device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        else:
            device = StaticDevice.objects.select_for_update().get(pk=device.pk)
            device.token_set.all().delete()
            device.throttle_reset()
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=_hash(code, settings.SECRET_KEY)) for code in codes
        )
    return [shown(code) for code in codes]


def use_code(user: Any, typed: str) -> StaticDevice | None:
    """The recovery device if ``typed`` is one of the user's unused codes, which is then
    used up; None otherwise. Wrong codes slow the next tries down (django-otp's
    throttling), and two requests with the same code cannot both succeed."""
    code = normalise(typed)
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    hashes = [_hash(code, key) for key in keys]
    with transaction.atomic():
        device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return None
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            return None
        match = device.token_set.filter(token__in=hashes).first()
        if match is None:
            device.throttle_increment()
            return None
        match.delete()
        device.throttle_reset(commit=False)
        device.set_last_used_timestamp(commit=False)
        device.save()
    return device
