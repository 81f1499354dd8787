"""Fixtures for the browser journeys: one headless Chromium, a context per actor.

Playwright's sync API runs an event loop in the test thread, so Django's guard
against ORM calls from async code has to be switched off for these tests.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    expect,
    sync_playwright,
)
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEFAULT_TIMEOUT_MS = 15_000
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NEUTRAL_URL = "https://neutral.invalid/"
SCREENSHOT_DIR = Path(__file__).parent / "screenshots"


@dataclass(frozen=True)
class Therapist:
    email: str
    password: str
    name: str


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture
def shot(screenshot_dir: Path) -> Callable[[Page, str], None]:
    """Save a full-page screenshot as ``tests/e2e/screenshots/<name>.png``."""

    def take(page: Page, name: str) -> None:
        page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Open a fresh browser context (its own cookies, so its own session) per actor.

    Every context answers requests for the quick exit's neutral site itself.
    (Routes do not see redirect targets, so the redirect from /exit/ is first
    looked up by name; ``.invalid`` never resolves, see ``leave_by_quick_exit``.)
    """
    contexts: list[BrowserContext] = []

    def make(*, phone: bool = False) -> BrowserContext:
        if phone:
            context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        else:
            context = browser.new_context(viewport=DESKTOP)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        context.route(
            f"{NEUTRAL_URL}**",
            lambda route: route.fulfill(status=200, content_type="text/plain", body="neutral"),
        )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def site(live_server: LiveServer, settings: Settings) -> str:
    """The live server's base URL; invitation links are built on it."""
    settings.SITE_URL = live_server.url
    settings.DYADE_QUICK_EXIT_URL = NEUTRAL_URL
    # Import every view (and what they import, FHIR's models among them) before the first
    # page is asked for: on a busy machine that import alone can outlast a page's timeout.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    return live_server.url


@pytest.fixture
def therapist(transactional_db: None) -> Therapist:
    from dyade.accounts.models import Practice, Role, User

    practice = Practice.objects.create(name="Praktijk De Linde")
    account = Therapist(
        email="therapeut@praktijk.example", password="Zeer-geheim-wachtwoord-42", name="Anne Visser"
    )
    User.objects.create_user(
        email=account.email,
        password=account.password,
        role=Role.THERAPIST,
        practice=practice,
        name=account.name,
    )
    return account
