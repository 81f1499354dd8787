"""django-csp's middleware, with the policy's header written out once instead of per response.

django-csp builds the Content-Security-Policy header anew for every response,
twice (the policy and the report-only policy), from the settings through a
dataclass copy: about a tenth of the CPU of a small page on this machine class.
Dyade's policy is the same for every response: no view changes it with
django-csp's decorators and no page asks for a nonce. While that holds for a
response, :class:`PolicyOnce` sets the header it worked out once from the
settings; for a response that does change it (a decorator's ``_csp_*``
attribute, a nonce asked for, a debug page) it lets django-csp do it all as
before. ``tests/test_csp_middleware.py`` checks both give the same headers.
"""

from __future__ import annotations

import functools
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

# What a decorator or a view may set on a response to change its policy.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@functools.cache
def _headers() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, value, excluded path prefixes) of each policy the settings set."""
    found = []
    for header, name, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        value = build_policy(report_only=report_only)
        if value:
            policy = getattr(settings, name, None) or {}
            prefixes = tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())
            found.append((header, value, prefixes))
    return tuple(found)


@receiver(setting_changed)
def _forget(*, setting: str, **_kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _headers.cache_clear()


class PolicyOnce(CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        changed = settings.DEBUG or getattr(request, "_csp_nonce", None) is not None
        if changed or any(hasattr(response, name) for name in _PER_RESPONSE):
            return super().process_response(request, response)
        for header, value, prefixes in _headers():
            exempt = getattr(
                response, "_csp_exempt_ro" if header == HEADER_REPORT_ONLY else "_csp_exempt", False
            )
            if (
                header not in response
                and exempt is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = value
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
