"""dyade.csp_middleware.PolicyOnce sets the same Content-Security-Policy as django-csp's own."""

from __future__ import annotations

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from dyade.csp_middleware import PolicyOnce


def _both(view, path: str = "/me/", **request_extra):  # type: ignore[no-untyped-def]
    """The headers each middleware sets on the same view's response."""
    answers = []
    for middleware in (CSPMiddleware, PolicyOnce):
        request = RequestFactory().get(path)
        for name, value in request_extra.items():
            setattr(request, name, value)
        handler = middleware(lambda request: view(request))
        response = handler(request)
        answers.append({h: response.get(h) for h in (HEADER, HEADER_REPORT_ONLY)})
    return answers


def plain(request):  # type: ignore[no-untyped-def]
    return HttpResponse("ok")


def test_a_plain_response_gets_the_settings_policy_as_django_csp_writes_it() -> None:
    ours_theirs = _both(plain)
    assert ours_theirs[0] == ours_theirs[1]
    assert "default-src 'self'" in ours_theirs[1][HEADER]
    assert ours_theirs[1][HEADER_REPORT_ONLY] is None


def test_a_decorated_view_and_an_exempt_one_are_left_to_django_csp() -> None:
    updated = csp_update({"img-src": ["https://example.org"]})(plain)
    exempt = csp_exempt()(plain)
    for view in (updated, exempt):
        theirs, ours = _both(view)
        assert ours == theirs
    assert "https://example.org" in _both(updated)[1][HEADER]
    assert _both(exempt)[1][HEADER] is None


def test_a_page_that_asked_for_a_nonce_gets_it_in_its_header() -> None:
    def with_nonce(request):  # type: ignore[no-untyped-def]
        return HttpResponse(str(request.csp_nonce))

    policy = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        response = PolicyOnce(with_nonce)(RequestFactory().get("/"))
        assert f"'nonce-{response.content.decode()}'" in response[HEADER]
        assert "nonce" not in PolicyOnce(plain)(RequestFactory().get("/"))[HEADER]


def test_a_header_already_set_is_kept_and_a_nonce_after_the_header_is_refused() -> None:
    def own(request):  # type: ignore[no-untyped-def]
        response = HttpResponse("ok")
        response[HEADER] = "default-src 'none'"
        return response

    request = RequestFactory().get("/")
    PolicyOnce(own)(request)
    assert PolicyOnce(own)(RequestFactory().get("/"))[HEADER] == "default-src 'none'"
    from csp.exceptions import CSPNonceError

    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_changed_settings_give_the_changed_policy() -> None:
    policy = {"DIRECTIVES": {"default-src": [SELF], "img-src": [SELF, "https://a.example"]}}
    report = {"DIRECTIVES": {"default-src": [SELF]}, "EXCLUDE_URL_PREFIXES": ["/static/"]}
    with override_settings(
        CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=report
    ):
        theirs, ours = _both(plain)
        assert ours == theirs
        assert "https://a.example" in ours[HEADER]
        assert ours[HEADER_REPORT_ONLY]
        theirs, ours = _both(plain, path="/static/x.css")
        assert ours == theirs
        assert ours[HEADER_REPORT_ONLY] is None
    assert "https://a.example" not in _both(plain)[1][HEADER]
