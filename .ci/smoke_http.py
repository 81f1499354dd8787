"""The production smoke run's HTTP side (.ci/smoke), with Python's standard library only.

    python .ci/smoke_http.py BASE_URL PEOPLE.json MAIL_DIR

Every request goes to gunicorn as the documented reverse proxy would send it
(docs/operations.md, "Behind a reverse proxy"): the public host name, the
``X-Forwarded-Proto: https`` of a TLS proxy and the client's address in
``X-Forwarded-For``. Cookies are Secure in production, so this client keeps them
itself instead of http.cookiejar (which sends Secure cookies only over https).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import html
import json
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

HOST = "dyade.rooktest.example"
CLIENT_ADDRESS = "203.0.113.7"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(
        self, path: str, form: dict[str, str] | None = None, proto: str = "https"
    ) -> tuple[int, dict[str, str], str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310
        request.add_header("Host", HOST)
        request.add_header("X-Forwarded-Proto", proto)
        request.add_header("X-Forwarded-For", CLIENT_ADDRESS)
        request.add_header("Accept-Language", "nl")
        if form is not None:
            request.add_header("Referer", f"https://{HOST}{path}")  # Django's HTTPS CSRF check
            request.add_header("X-CSRFToken", self.cookies.get("csrftoken", ""))
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        body = response.read().decode("utf-8", "replace")
        return response.status, dict(response.headers.items()), body

    def get(self, path: str, expect: int = 200) -> tuple[dict[str, str], str]:
        status, headers, body = self.request(path)
        check(status == expect, f"GET {path}: {status}, expected {expect}")
        return headers, body

    def submit(self, path: str, fields: dict[str, str]) -> str:
        """Fill in the form on ``path`` (keeping its hidden fields); return where it went."""
        _, page = self.get(path)
        form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        form = {key: html.unescape(value) for key, value in form.items()}
        form.update(fields)
        status, headers, body = self.request(path, form)
        check(status == 302, f"POST {path}: {status}\n{body[:2000]}")
        return headers["Location"]

    def follow(self, where: str) -> str:
        """Follow redirects from ``where``; return the path of the page that answers."""
        for _ in range(5):
            path = urllib.parse.urlsplit(where)
            path_qs = path.path + (f"?{path.query}" if path.query else "")
            status, headers, _ = self.request(path_qs)
            if status != 302:
                check(status == 200, f"GET {path_qs}: {status}")
                return path_qs
            where = headers["Location"]
        raise SystemExit(f"smoke run FAILED: too many redirects from {where}")


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"smoke run FAILED: {message}")


def totp(key_hex: str, at: float) -> str:
    """RFC 6238 with django-otp's defaults: HMAC-SHA1, 30-second steps, six digits."""
    counter = struct.pack(">Q", int(at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def main(base: str, people_path: Path, mail_dir: Path) -> None:
    people = json.loads(people_path.read_text(encoding="utf-8"))

    # Static files from collectstatic, served by WhiteNoise with a long cache.
    anonymous = Browser(base)
    headers, css = anonymous.get("/static/dyade/dyade.css")
    check(headers.get("Content-Type", "").startswith("text/css") and len(css) > 1000, "the CSS")
    status, headers, _ = anonymous.request("/account/login/", proto="http")
    check(status == 301 and headers["Location"].startswith("https://"), "HTTP goes to HTTPS")
    headers, _ = anonymous.get("/account/login/")
    check("max-age=31536000" in headers.get("Strict-Transport-Security", ""), "HSTS")

    # The therapist: password, then the code of the authenticator app.
    therapist = Browser(base)
    where = therapist.submit(
        "/account/login/",
        {"username": people["therapist"], "password": people["password_therapist"]},
    )
    where = therapist.follow(where)
    check(where.startswith("/account/2fa/"), f"the two-step page comes next, not {where}")
    code = totp(people["totp_key"], time.time())
    where = therapist.follow(therapist.submit(where, {"token": code}))
    check(where.startswith("/cases/"), f"the code was taken and the caseload shown: {where}")
    _, page = therapist.get(f"/cases/{people['case']}/")
    check("RT-01" in page and "Rook A" in page, "the case page shows the case and its partner")

    # Partner A: a password only; a diary entry for today, and a reminder for now.
    partner = Browser(base)
    where = partner.submit(
        "/account/login/",
        {"username": people["partner"], "password": people["password_partner"]},
    )
    check(partner.follow(where) == "/me/", "the partner's home")
    today = dt.datetime.now(ZoneInfo("Europe/Amsterdam"))
    if today.time() >= dt.time(23, 56):  # the diary's day and the reminder's time must hold
        time.sleep(
            (
                dt.datetime.combine(today.date(), dt.time(23, 59, 59)) - today.replace(tzinfo=None)
            ).total_seconds()
            + 6
        )
        today = dt.datetime.now(ZoneInfo("Europe/Amsterdam"))
    note = f"rooktest {base64.b32encode(struct.pack('>d', time.time())).decode()[:10]}"
    partner.submit(
        f"/me/diary/{today.date().isoformat()}/",
        {
            "closeness": "7",
            "feeling_seen": "6",
            "stress": "3",
            "desire": "4",
            "sexual_contact": "no",
            "conflict": "no",
            "note": note,
            "note_visibility": "private",
        },
    )
    people["note"] = note
    partner.submit("/me/reminders/", {"diary-active": "on", "diary-at": today.strftime("%H:%M")})
    people_path.write_text(json.dumps(people), encoding="utf-8")
    print("http: static files, HTTPS redirect, HSTS, two-step login, case page, diary, reminder")


def wait_for_mail(mail_dir: Path, address: str, seconds: float) -> None:
    """The worker writes the reminder as a file (Django's file-based e-mail backend)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in mail_dir.glob("*.log"):
            text = message.read_text(encoding="utf-8", errors="replace")
            if f"To: {address}" in text:
                print(f"mail: the reminder reached {message.name}")
                return
        time.sleep(0.5)
    raise SystemExit(f"smoke run FAILED: no reminder e-mail to {address} in {mail_dir}")


if __name__ == "__main__":
    if sys.argv[1] == "mail":
        people = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
        wait_for_mail(Path(sys.argv[3]), people["partner"], float(sys.argv[4]))
    else:
        main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
