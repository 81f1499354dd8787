"""gunicorn and its clients for bench/load.py: a server to start and stop, requests to send.

The clients are coroutines on one event loop, each sending its request over a
new loopback connection (gunicorn's sync workers close every connection after
one answer) as soon as the last one was answered, for a given time.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Person:
    session: str
    csrf: str
    version: int = 0  # of the person's diary entry for today (0: none yet)


# --- gunicorn ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.port = free_port()
        self.log = log
        command = [sys.executable, "-m", "gunicorn", "bench.load_wsgi", "--preload"]
        command += ["--workers", str(workers)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--worker-class", "sync"]
        command += ["--timeout", "120", "--log-level", "warning"]
        with log.open("ab") as output:  # gunicorn's log and Django's (tracebacks) alike
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=output
            )
        deadline = time.monotonic() + 300
        while len(self.workers()) < workers or not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
                raise SystemExit(f"gunicorn did not start:\n{tail}")
            time.sleep(0.5)
        time.sleep(2)  # let the last workers finish loading Django

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
                conn.sendall(b"GET /health/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                return conn.recv(64).split(b"\r\n")[0].endswith(b" 200 OK")
        except OSError:
            return False

    def workers(self) -> list[int]:
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(child) for child in children]

    def cpu_seconds(self) -> float:
        """CPU time used so far by the workers (schedstat in ns where there is one)."""
        total = 0.0
        for pid in self.workers():
            try:
                total += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
            except (OSError, ValueError, IndexError):
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(stat[11]) + int(stat[12])) / TICKS
        return total

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- the clients ------------------------------------------------------------------------


class DiarySend:
    """A diary submit as the day's page sends it: a new request id for every send and
    the version of the entry the page showed. Each client is the only writer of its
    partner's entry, so the version it saw is the one it last saved."""

    def __init__(self, path: str, person: Person, fields: dict[str, str]) -> None:
        self.path, self.person, self.fields = path, person, fields

    def __call__(self) -> bytes:
        form = {
            **self.fields,
            "request_id": str(uuid.uuid4()),
            "based_on": str(self.person.version),
        }
        return post(self.path, self.person, form)

    def saved(self) -> None:
        self.person.version += 1


@dataclass
class Scenario:
    name: str
    requests: list[bytes | DiarySend]  # one per client
    expect: bytes  # the start of a good answer
    done: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def rate(self) -> float:
        return self.done / self.seconds

    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[int(0.95 * (len(ordered) - 1))]

    def cpu_per_request(self) -> float:
        return self.cpu / self.done


def get(path: str, cookie: str = "") -> bytes:
    extra = f"Cookie: {cookie}\r\n" if cookie else ""
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}\r\n".encode()


def post(path: str, person: Person, fields: dict[str, str]) -> bytes:
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": person.csrf}).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Cookie: sessionid={person.session}; csrftoken={person.csrf}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def fetch(port: int, request: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    answer = await reader.read()  # sync workers close the connection after each answer
    writer.close()
    return answer


async def drive(port: int, scenario: Scenario, seconds: float, record: bool = True) -> None:
    stop = time.perf_counter() + seconds

    async def client(request: bytes | DiarySend) -> None:
        while time.perf_counter() < stop:
            payload = request() if isinstance(request, DiarySend) else request
            start = time.perf_counter()
            answer = await fetch(port, payload)
            latency = time.perf_counter() - start
            if isinstance(request, DiarySend) and answer.startswith(scenario.expect):
                request.saved()
            if record:
                status = int(answer[9:12] or 0)
                scenario.statuses[status] = scenario.statuses.get(status, 0) + 1
                if answer.startswith(scenario.expect):
                    scenario.done += 1
                    scenario.latencies.append(latency)

    await asyncio.gather(*(client(request) for request in scenario.requests))


def measure(server: Server, scenario: Scenario, seconds: float) -> None:
    cpu = server.cpu_seconds()
    start = time.perf_counter()
    asyncio.run(drive(server.port, scenario, seconds))
    scenario.seconds += time.perf_counter() - start
    scenario.cpu += server.cpu_seconds() - cpu
