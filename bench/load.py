"""Load benchmark: requests and the diary submit under gunicorn, as ratios in one run.

Starts gunicorn (4 sync workers) on 127.0.0.1 on a temporary SQLite database
holding the demo practice plus 16 couples with two years of diary each, and
drives 32 concurrent clients over loopback (each a partner with a session of
their own) through three scenarios, taken in turns so they share the noise:

* the anonymous bare view (``/health/``: no session, no database),
* the same view signed in (the session and the user are read),
* the diary submit (``POST /me/diary/<today>/`` with the fields the day's page
  gives: a new request id each time and the version of the entry it showed;
  answered with a redirect).

For each it prints requests/s, the 95th percentile latency and the server's CPU
time per request (read from /proc for the gunicorn workers), as ratios to the
bare view measured in the same run, with the targets of issue 16. Then it runs
the diary submit again with 16 workers and counts "database is locked": locks
that a retry absorbed, and any that reached a partner (as a "try again" page).

``make bench-load``. Environment: ``BENCH_LOAD_SECONDS`` (per scenario and round,
default 3), ``BENCH_LOAD_ROUNDS`` (3), ``BENCH_LOAD_KEEP=1`` (keep the database and the
server logs); ``BENCH_LOAD_POSTGRES=1`` runs it against
the PostgreSQL server that ``DATABASE_URL`` points at, in a temporary database
made there and dropped afterwards (the 16-worker lock count is for SQLite only).
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import os
import random
import secrets
import shutil
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLIENTS = 32
WORKERS = 4
BUSY_WORKERS = 16
COUPLES = 16
DAYS = 2 * 365
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_LOAD_ROUNDS", "3"))
POSTGRES = os.environ.get("BENCH_LOAD_POSTGRES", "") == "1"
SERVER_URL = os.environ.get("DATABASE_URL", "")

from bench.load_http import (  # noqa: E402
    DiarySend,
    Person,
    Scenario,
    Server,
    drive,
    fetch,
    get,
    measure,
)

# --- the database and the people --------------------------------------------------------


def database_url(tmp: Path) -> tuple[str, str | None]:
    """The URL to use, and the name of a temporary PostgreSQL database to drop afterwards."""
    if not POSTGRES:
        return f"sqlite:///{tmp / 'load.sqlite3'}", None
    server = SERVER_URL
    if not server.startswith(("postgres://", "postgresql://")):
        raise SystemExit("BENCH_LOAD_POSTGRES=1 needs DATABASE_URL=postgres://… (a server)")
    import psycopg

    name = f"dyade_load_{secrets.token_hex(4)}"
    with psycopg.connect(maintenance_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlparse(server)._replace(path=f"/{name}").geturl(), name


def maintenance_url() -> str:
    """The server's own "postgres" database, to make and drop the temporary one."""
    return urllib.parse.urlparse(SERVER_URL)._replace(path="/postgres").geturl()


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_environment(url: str) -> dict[str, str]:
    """Production settings (not a developer machine), with throwaway secrets."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DYADE_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="dyade.settings",
        DATABASE_URL=url,
        DYADE_LOCAL="0",
        DYADE_SECRET_KEY=secrets.token_urlsafe(50),
        DYADE_FIELD_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        DYADE_ALLOWED_HOSTS="127.0.0.1",
        DYADE_SSL_REDIRECT="0",  # plain HTTP on loopback, no TLS proxy in front
        DYADE_LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONWARNINGS="ignore:No directory at",  # no collectstatic for a benchmark
    )
    return env


def seed() -> list[Person]:
    """Migrate, seed the demo, add the couples with two years of diary; one session each."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.db import connections, transaction
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils import timezone

    from dyade.accounts.models import Practice, Role, User
    from dyade.accounts.signed_in import SessionStore
    from dyade.cases.models import Case, CaseKind, Partner
    from dyade.diary.models import DiaryEntry

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    practice = Practice.objects.order_by("pk").first()
    therapist = User.objects.filter(practice=practice, role=Role.THERAPIST).first()
    today = timezone.localdate()
    rng = random.Random(16)
    people = []
    with transaction.atomic():
        for couple in range(COUPLES):
            case = Case.objects.create(
                practice=practice,
                label=f"Load {couple}",
                kind=CaseKind.COUPLE,
                created_by=therapist,
            )
            case.therapists.add(therapist)
            for slot in "AB":
                user = User.objects.create_user(
                    f"load{couple}{slot.lower()}@partner.example",
                    role=Role.PARTNER,
                    practice=practice,
                    name=f"Load {couple}{slot}",
                )
                partner = Partner.objects.create(case=case, slot=slot, name=user.name, user=user)
                DiaryEntry.objects.bulk_create(
                    DiaryEntry(
                        partner=partner,
                        date=today - dt.timedelta(days=back),
                        closeness=rng.randint(0, 10),
                        feeling_seen=rng.randint(0, 10),
                        stress=rng.randint(0, 10),
                        desire=rng.randint(0, 10),
                        sexual_contact=rng.random() < 0.2,
                        conflict=rng.random() < 0.1,
                        note="Een gewone dag." if back % 3 == 0 else "",
                    )
                    for back in range(1, DAYS + 1)
                )
                session = SessionStore()
                session[SESSION_KEY] = str(user.pk)
                session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
                session[HASH_SESSION_KEY] = user.get_session_auth_hash()
                session.create()
                people.append(Person(session.session_key or "", _get_new_csrf_string()))
    connections.close_all()
    return people


def scenarios(people: list[Person], today: str) -> list[Scenario]:
    form = {
        "closeness": "6",
        "feeling_seen": "5",
        "stress": "4",
        "desire": "3",
        "sexual_contact": "no",
        "conflict": "no",
        "note": "Vandaag samen gekookt.",
        "note_visibility": "private",
    }
    ok, moved = b"HTTP/1.1 200", b"HTTP/1.1 302 Found\r\n"
    return [
        Scenario("anonymous bare view", [get("/health/")] * CLIENTS, ok),
        Scenario(
            "signed-in bare view",
            [get("/health/", f"sessionid={person.session}") for person in people],
            ok,
        ),
        Scenario(
            "diary submit",
            [DiarySend(f"/me/diary/{today}/", person, form) for person in people],
            moved,
        ),
    ]


def check_sessions(server: Server, people: list[Person]) -> None:
    """Every client is signed in: its partner home answers 200, not a redirect to log in."""
    for person in people:
        answer = asyncio.run(fetch(server.port, get("/me/", f"sessionid={person.session}")))
        if not answer.startswith(b"HTTP/1.1 200"):
            raise SystemExit(f"a load client is not signed in: {answer[:80]!r}")


# --- the run ----------------------------------------------------------------------------


def report(anonymous: Scenario, signed: Scenario, submit: Scenario, database: str) -> None:
    print(
        f"Load: gunicorn {WORKERS} sync workers, {CLIENTS} clients over loopback, {database}, "
        f"{ROUNDS} rounds x {SECONDS:g} s per scenario ({os.cpu_count()} CPUs)"
    )
    print(f"{'scenario':<24} {'req/s':>8} {'p95 ms':>8} {'CPU ms/req':>11}   other answers")
    for s in (anonymous, signed, submit):
        others = {code: n for code, n in s.statuses.items() if code not in (200, 302)}
        print(
            f"{s.name:<24} {s.rate():8.1f} {1000 * s.p95():8.1f} "
            f"{1000 * s.cpu_per_request():11.2f}   {others or 'none'}"
        )
    rows = [
        (
            "signed-in CPU/request <= 2x anonymous bare view",
            signed.cpu_per_request() / anonymous.cpu_per_request(),
            2.0,
            f"anonymous {1000 * anonymous.cpu_per_request():.2f} ms",
            False,
        ),
        (
            "diary submit throughput >= 0.6x signed-in bare",
            submit.rate() / signed.rate(),
            0.6,
            f"signed-in {signed.rate():.0f} req/s",
            True,
        ),
        (
            "diary submit p95 <= 2x signed-in bare view",
            submit.p95() / signed.p95(),
            2.0,
            f"signed-in p95 {1000 * signed.p95():.1f} ms",
            False,
        ),
        (
            "(diary submit CPU/request, signed-in bare = 1)",
            submit.cpu_per_request() / signed.cpu_per_request(),
            0.0,
            f"signed-in {1000 * signed.cpu_per_request():.2f} ms",
            True,
        ),
    ]
    print(f"\n{'target':<48} {'ratio':>6}   {'baseline (same run)':<26} met")
    for name, ratio, bound, baseline, at_least in rows:
        met = (
            ""
            if not bound
            else ("yes" if (ratio >= bound if at_least else ratio <= bound) else "NO")
        )
        print(f"{name:<48} {ratio:6.2f}   {baseline:<26} {met}")


def lock_count(env: dict[str, str], people: list[Person], today: str, log: Path) -> None:
    server = Server(env, BUSY_WORKERS, log)
    try:
        submit = scenarios(people, today)[2]
        asyncio.run(drive(server.port, submit, 1.0, record=False))
        measure(server, submit, SECONDS * ROUNDS)
    finally:
        server.stop()
    text = log.read_text(errors="replace")
    retried = text.count("database is locked (attempt")  # dyade.diary.services warns
    failed = text.count("django.db.utils.OperationalError: database is locked")  # a 500
    errors = text.count("Internal Server Error")
    busy = submit.statuses.get(503, 0)
    print(
        f'\n"database is locked" with {BUSY_WORKERS} workers and {CLIENTS} clients submitting '
        f"({submit.done} submits, {submit.rate():.0f}/s, p95 {1000 * submit.p95():.0f} ms): "
        f"{retried + failed} in all; {retried} absorbed by a retry, {busy} shown as "
        f"'try again' (503), {failed} as a server error ({errors} server errors in all); "
        f"target 0 shown to a partner: {'met' if busy + errors == 0 else 'NOT met'}"
    )


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="dyade-load-"))
    keep = os.environ.get("BENCH_LOAD_KEEP", "") == "1"  # the database and the server logs
    url, temporary = database_url(tmp)
    env = server_environment(url)
    os.environ.update(env)
    try:
        people = seed()
        from django.utils import timezone

        today = timezone.localdate().isoformat()
        server = Server(env, WORKERS, tmp / "gunicorn.log")
        try:
            check_sessions(server, people)
            anonymous, signed, submit = scenarios(people, today)
            for scenario in (anonymous, signed, submit):  # warm up every worker
                asyncio.run(drive(server.port, scenario, 1.0, record=False))
            for _ in range(ROUNDS):
                for scenario in (anonymous, signed, submit):
                    measure(server, scenario, SECONDS)
        finally:
            server.stop()
        database = "PostgreSQL" if temporary else "SQLite (WAL)"
        report(anonymous, signed, submit, database)
        if not temporary:
            lock_count(env, people, today, tmp / "gunicorn-16.log")
    finally:
        if temporary:
            drop_database(temporary)
        if keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
