"""The command line ``python -m dyade.clinic.dyadic``, run as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ACITELLI = DATA / "acitelli_individual.csv"
ROOT = Path(__file__).resolve().parents[3]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dyade.clinic.dyadic", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


APIM = ["apim", "--data", str(ACITELLI), "--dyad", "cuplid", "--outcome", "satisfaction"]


def test_apim_indistinguishable_shape() -> None:
    done = _run(*APIM, "--actor", "other_pos", "--indistinguishable", "--method", "reml")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert list(out) == ["coefficients", "rho", "sigma", "loglik", "k", "n_dyads"]
    assert list(out["coefficients"]) == ["intercept", "actor[other_pos]", "partner[other_pos]"]
    assert set(out["coefficients"]["intercept"]) == {"estimate", "se"}
    assert out["coefficients"]["intercept"]["estimate"] == pytest.approx(0.6697541, rel=1e-5)
    assert list(out["sigma"]) == ["all"]
    assert list(out["k"]) == ["other_pos"]
    assert out["loglik"] == pytest.approx(-148.3591, abs=1e-3)
    assert out["n_dyads"] == 148


def test_apim_distinguishable_names_use_roles_as_written() -> None:
    done = _run(
        *APIM, "--role", "gender", "--actor", "other_pos", "--actor", "self_pos",
        "--distinguishable", "--method", "ml",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    names = set(out["coefficients"])
    assert names == {
        "intercept[-1]", "intercept[1]",
        "actor[other_pos][-1]", "actor[other_pos][1]", "actor[self_pos][-1]", "actor[self_pos][1]",
        "partner[other_pos][-1]", "partner[other_pos][1]",
        "partner[self_pos][-1]", "partner[self_pos][1]",
    }  # fmt: skip
    assert set(out["sigma"]) == {"-1", "1"}
    assert set(out["k"]) == {"other_pos[-1]", "other_pos[1]", "self_pos[-1]", "self_pos[1]"}


def test_truthbias_shape() -> None:
    done = _run(
        "truthbias", "--data", str(ACITELLI), "--dyad", "cuplid", "--role", "gender",
        "--judgment", "other_pos", "--actual", "self_pos",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert list(out) == ["coefficients", "rho", "sigma", "loglik", "n_dyads"]
    assert set(out["coefficients"]) == {
        f"{name}[{role}]"
        for name in ("directional_bias", "truth_force", "bias_force")
        for role in ("-1", "1")
    }


def _bad(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "args",
    [
        [*APIM, "--actor", "nope", "--indistinguishable"],  # missing column
        [*APIM, "--actor", "other_pos", "--distinguishable"],  # no --role
        [*APIM, "--actor", "other_pos"],  # neither --distinguishable nor --indistinguishable
        ["apim", "--data", "/nonexistent.csv", "--dyad", "d", "--outcome", "y", "--actor", "x",
         "--indistinguishable"],
        ["frobnicate"],
    ],
)  # fmt: skip
def test_bad_arguments_exit_2_with_one_line(args: list[str]) -> None:
    done = _run(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("d,r,x,y\n1,a,1,2\n1,b,2,3\n1,a,3,4\n2,a,1,1\n2,b,2,2\n", "3 members"),
        ("d,r,x,y\n1,a,1,2\n1,b,two,3\n2,a,1,1\n2,b,2,2\n", "not numeric"),
        ("d,r,x,y\n1,a,1,2\n1,a,2,3\n2,a,1,1\n2,b,2,2\n", "same role"),
        (  # x constant: the design cannot be estimated
            "d,r,x,y\n"
            + "".join(f"{d},{r},1,{(d * 7 + len(r)) % 5}\n" for d in range(8) for r in "ab"),
            "rank deficient",
        ),
    ],
)
def test_bad_data_exit_2_with_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = _bad(tmp_path, text)
    done = _run(
        "apim", "--data", str(path), "--dyad", "d", "--role", "r", "--outcome", "y",
        "--actor", "x", "--distinguishable",
    )  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert done.stdout == ""


def test_growth_shape() -> None:
    done = _run(
        "growth", "--data", str(DATA / "kashy_person_period_pairwise.csv"), "--dyad", "dyadid",
        "--role", "genderS", "--time", "time", "--outcome", "satisf_A", "--method", "ml",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert list(out) == ["coefficients", "random_sd", "rho", "sigma", "loglik", "n_dyads"]
    names = ["intercept[M]", "intercept[F]", "slope[M]", "slope[F]"]
    assert list(out["coefficients"]) == names
    assert list(out["random_sd"]) == names
    assert set(out["sigma"]) == {"M", "F"}
    assert out["n_dyads"] == 103
