"""Accounts in the browser (issue 18): a therapist sets up two-step login and keeps the
recovery codes, loses the phone, logs in with a code on a phone and moves two-step login;
a partner's account page on a phone; the lockout page; "invited" on the staff page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.fixtures import Settings

from tests.e2e.conftest import Therapist
from tests.e2e.test_guidance_journey import no_horizontal_overflow
from tests.e2e.test_journey import fill_login, submit

pytestmark = pytest.mark.e2e

Shot = Callable[[Page, str], None]
LAPTOP = {"width": 1366, "height": 768}
NARROW = {"width": 320, "height": 640}
CODE = re.compile(r"^[a-z2-9]{5}-[a-z2-9]{5}$")


def totp_now(email: str, confirmed: bool) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__email=email, confirmed=confirmed)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_two_step_login_with_recovery_codes(
    site: str,
    therapist: Therapist,
    new_context: Callable[..., BrowserContext],
    settings: Settings,
    shot: Shot,
) -> None:
    settings.DYADE_REQUIRE_2FA = True
    laptop = new_context()
    laptop.pages  # noqa: B018
    desk = laptop.new_page()
    desk.set_viewport_size(LAPTOP)
    fill_login(desk, site, therapist.email, therapist.password)
    submit(desk)
    expect(desk).to_have_url(re.compile(r"/account/2fa/setup/"))
    desk.fill("#id_token", totp_now(therapist.email, confirmed=False))
    submit(desk)
    codes = desk.locator("ol.recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(CODE.match(code) for code in codes)
    no_horizontal_overflow(desk, LAPTOP["width"])
    shot(desk, "account-recovery-codes-1366")
    desk.get_by_role("link", name=re.compile("continue|verder", re.I)).click()
    expect(desk).to_have_url(f"{site}/cases/")
    desk.locator("nav.menu").get_by_role("link", name="Account").click()
    expect(desk.locator("h1")).to_have_text(re.compile("account", re.I))
    expect(desk.locator("main")).to_contain_text("10")
    no_horizontal_overflow(desk, LAPTOP["width"])
    shot(desk, "account-page-therapist-1366")

    # The phone is lost: on another device, a recovery code instead of the app.
    phone = new_context(phone=True).new_page()
    fill_login(phone, site, therapist.email, therapist.password)
    submit(phone)
    expect(phone).to_have_url(re.compile(r"/account/2fa/"))
    phone.get_by_role("link", name=re.compile("recovery code|herstelcode", re.I)).click()
    no_horizontal_overflow(phone, 390)
    shot(phone, "account-recovery-prompt-390")
    phone.fill("#id_code", codes[0].upper())
    submit(phone)
    expect(phone).to_have_url(f"{site}/account/")
    expect(phone.locator(".messages")).to_contain_text("9")
    no_horizontal_overflow(phone, 390)
    shot(phone, "account-page-after-recovery-390")
    phone.get_by_role("link", name=re.compile("new phone|nieuwe telefoon", re.I)).click()
    expect(phone.locator(".qr svg")).to_be_visible()
    no_horizontal_overflow(phone, 390)
    shot(phone, "account-new-phone-390")
    phone.fill("#id_token", totp_now(therapist.email, confirmed=False))
    submit(phone)
    expect(phone).to_have_url(f"{site}/account/")
    expect(phone.locator(".messages")).to_be_visible()


def test_a_partner_changes_the_password_on_a_phone(
    site: str,
    transactional_db: None,
    new_context: Callable[..., BrowserContext],
    shot: Shot,
) -> None:
    from dyade.accounts.models import Practice, Role, User

    practice = Practice.objects.create(name="Praktijk De Linde")
    User.objects.create_user(
        "sam@thuis.example", "blauwe-fiets-onder-de-brug-7", role=Role.PARTNER, practice=practice
    )
    for width in (390, 320):
        page = new_context(phone=True).new_page()
        page.set_viewport_size({"width": width, "height": 740})
        fill_login(page, site, "sam@thuis.example", "blauwe-fiets-onder-de-brug-7")
        submit(page)
        page.goto(f"{site}/account/")
        expect(page.locator(".quick-exit")).to_be_visible()  # a partner page keeps the exit
        expect(page.locator("main")).not_to_contain_text("herstelcode")
        no_horizontal_overflow(page, width)
        shot(page, f"account-page-partner-{width}")
        page.get_by_role("link", name=re.compile("wachtwoord wijzigen", re.I)).click()
        no_horizontal_overflow(page, width)
        shot(page, f"account-password-partner-{width}")
    new = "rode-trein-door-het-bos-5"
    page.fill("#id_old_password", "blauwe-fiets-onder-de-brug-7")
    page.fill("#id_new_password1", new)
    page.fill("#id_new_password2", new)
    submit(page)
    expect(page).to_have_url(f"{site}/account/")
    expect(page.locator(".messages")).to_contain_text("opgeslagen")


def test_the_lockout_page_on_a_phone(
    site: str, therapist: Therapist, new_context: Callable[..., BrowserContext], shot: Shot
) -> None:
    page = new_context(phone=True).new_page()
    for _ in range(5):
        fill_login(page, site, therapist.email, "verkeerd-wachtwoord")
        submit(page)
    expect(page.locator("h1")).to_have_text(re.compile("Te veel pogingen"))
    expect(page.get_by_role("link", name=re.compile("nieuw wachtwoord", re.I))).to_be_visible()
    no_horizontal_overflow(page, 390)
    shot(page, "account-locked-out-390")


def test_invited_on_the_staff_page(
    site: str,
    therapist: Therapist,
    new_context: Callable[..., BrowserContext],
    shot: Shot,
) -> None:
    from dyade.accounts.models import Role, User

    staff = User.objects.get(email=therapist.email)
    User.objects.create_user(
        "beheer@praktijk.example",
        "Beheer-wachtwoord-7",
        role=Role.PRACTICE_ADMIN,
        practice=staff.practice,
        name="Anouk Bakker",
    )
    User.objects.create_user(
        "nieuw@praktijk.example", role=Role.THERAPIST, practice=staff.practice, name="Nina Nieuw"
    )
    page = new_context().new_page()
    page.set_viewport_size(LAPTOP)
    fill_login(page, site, "beheer@praktijk.example", "Beheer-wachtwoord-7")
    submit(page)
    page.goto(f"{site}/practice/")
    expect(page.locator("tr", has_text="Nina Nieuw")).to_contain_text("uitgenodigd")
    expect(page.locator("tr", has_text="Anne Visser")).to_contain_text("actief")
    no_horizontal_overflow(page, LAPTOP["width"])
    shot(page, "account-staff-invited-1366")
