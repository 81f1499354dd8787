"""``manage.py guidance --snapshot FILE.json``: the command researchers and tests use."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dyade.clinic.guidance import RULES_BY_ID
from tests.clinic.vignette_expectations import EXPECTED

ROOT = Path(__file__).resolve().parent.parent
VIGNETTES = ROOT / "tests" / "clinic" / "vignettes"


def _run(tmp_path: Path, snapshot: object) -> dict[str, object]:
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(snapshot), encoding="utf-8")
    out = StringIO()
    call_command("guidance", snapshot=str(path), stdout=out)
    result: dict[str, object] = json.loads(out.getvalue())
    return result


def test_violence_prints_the_time_out_programme_first(tmp_path: Path) -> None:
    snapshot = {
        "partners": {
            "A": {"love": 7, "motivation": 8, "safety": {"physical": "often"}},
            "B": {"love": 6, "motivation": 7},
        }
    }
    signals = _run(tmp_path, snapshot)["signals"]
    assert isinstance(signals, list)
    # (issue 13: any sign also asks for a safety review, and B's unanswered safety part
    # is a finding of its own)
    assert [s["id"] for s in signals] == [
        "safety.timeout-programme",
        "eft.contra.violence",
        "safety.review",
        "safety.screen-missing",
    ]
    first = signals[0]
    assert set(first) >= {"id", "kind", "reasons", "source"}
    assert {"field": "partners.A.safety.physical", "value": "often"} in first["reasons"]
    assert first["source"]["seed"].startswith("001_")
    assert "Penne (2016), Slingeren tussen verbinding en autonomie" in first["source"]["reference"]
    assert "Dyade's own judgement" in first["source"]["judgement"]


def test_an_empty_snapshot_fires_nothing(tmp_path: Path) -> None:
    assert _run(tmp_path, {}) == {"signals": []}


@pytest.mark.parametrize(
    "content", ["{not json", json.dumps({"partners": {"C": {}}}), json.dumps([1, 2])]
)
def test_a_bad_snapshot_is_refused_with_a_message(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("guidance", snapshot=str(path), stdout=StringIO())
    assert raised.value.returncode == 2
    assert str(path) in str(raised.value)


def test_runs_from_a_checkout_without_configured_secrets(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.json"
    # (issue 13: "stop EFT" fires only while EFT is running, so the case is on the EFT track)
    snapshot = {"observations": [{"hidden_agenda": True}], "track": {"name": "eft"}}
    path.write_text(json.dumps(snapshot), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "DYADE_LOCAL_DIR": str(tmp_path / "local")}
    done = subprocess.run(
        [sys.executable, "manage.py", "guidance", "--snapshot", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [s["id"] for s in json.loads(done.stdout)["signals"]] == ["eft.stop.hidden-agenda"]
    missing = subprocess.run(
        [sys.executable, "manage.py", "guidance", "--snapshot", str(tmp_path / "none.json")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2 and "cannot read" in missing.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_vignette_through_the_command(name: str) -> None:
    """The snapshot-level set, run as a researcher would: what must and must not fire."""
    out = StringIO()
    call_command("guidance", snapshot=str(VIGNETTES / f"{name}.json"), stdout=out)
    ids = [signal["id"] for signal in json.loads(out.getvalue())["signals"]]
    expected = EXPECTED[name]
    assert ids == list(expected.fires)
    for silent in expected.silent:
        assert silent in RULES_BY_ID, silent
        assert silent not in ids, f"{silent} should not fire on {name}"


def test_the_formulation_can_be_printed_too() -> None:
    out = StringIO()
    name = VIGNETTES / "hidden-agenda-remembered.json"
    call_command("guidance", snapshot=str(name), formulation=True, stdout=out)
    printed = json.loads(out.getvalue())
    findings = {item["id"]: item for item in printed["formulation"]}
    assert findings["hidden_agenda"]["state"] == "present"
    assert findings["hidden_agenda"]["date"] == "2016-02-22"
    assert findings["comfort_zone"]["state"] == "unknown"
    assert [s["id"] for s in printed["signals"]] == list(EXPECTED[name.stem].fires)
