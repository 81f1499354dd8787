"""Command line: ``python -m dyade.clinic.dyadic {apim,truthbias,growth} ...``.

Reads a CSV file, fits the model and prints JSON on standard output (see
``docs/dyadic-statistics.md``). Bad input (unreadable file, a missing column,
a dyad with three members, text in a numeric column, a design that cannot be
estimated) prints one line on standard error and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from dyade.clinic.dyadic._gls import EstimationError
from dyade.clinic.dyadic.apim import fit_apim
from dyade.clinic.dyadic.data import DyadicDataError, read_csv
from dyade.clinic.dyadic.growth import fit_growth
from dyade.clinic.dyadic.truthbias import fit_truth_bias

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with the three subcommands."""
    parser = _Parser(prog="python -m dyade.clinic.dyadic", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    apim = sub.add_parser("apim", help="actor-partner interdependence model")
    _common(apim, role_required=False)
    apim.add_argument("--outcome", required=True)
    apim.add_argument("--actor", action="append", required=True, help="predictor (repeatable)")
    kind = apim.add_mutually_exclusive_group(required=True)
    kind.add_argument("--distinguishable", dest="distinguishable", action="store_true")
    kind.add_argument("--indistinguishable", dest="distinguishable", action="store_false")
    _method(apim)

    truth = sub.add_parser("truthbias", help="truth and bias model of judgments")
    _common(truth, role_required=False)
    truth.add_argument("--judgment", required=True, help="judgment of the partner's value")
    truth.add_argument("--actual", required=True, help="the person's own actual value")
    tkind = truth.add_mutually_exclusive_group()
    tkind.add_argument("--distinguishable", dest="distinguishable", action="store_true")
    tkind.add_argument("--indistinguishable", dest="distinguishable", action="store_false")
    truth.set_defaults(distinguishable=True)
    _method(truth)

    growth = sub.add_parser("growth", help="dyadic growth model for person-period data")
    _common(growth, role_required=True)
    growth.add_argument("--time", required=True)
    growth.add_argument("--outcome", required=True)
    _method(growth)
    return parser


def _common(parser: argparse.ArgumentParser, *, role_required: bool) -> None:
    parser.add_argument("--data", required=True, help="CSV file")
    parser.add_argument("--dyad", required=True, help="dyad id column")
    parser.add_argument("--role", required=role_required, help="role column")


def _method(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--method", choices=("reml", "ml"), default="reml")


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Fit the requested model and return its JSON-ready dictionary."""
    frame = read_csv(args.data)
    if args.command == "apim":
        if args.distinguishable and not args.role:
            raise DyadicDataError("--distinguishable needs --role")
        return fit_apim(
            frame,
            dyad=args.dyad,
            role=args.role,
            outcome=args.outcome,
            actors=args.actor,
            distinguishable=args.distinguishable,
            method=args.method,
        ).as_json()
    if args.command == "truthbias":
        if args.distinguishable and not args.role:
            raise DyadicDataError("distinguishable dyads need --role (or give --indistinguishable)")
        return fit_truth_bias(
            frame,
            dyad=args.dyad,
            role=args.role,
            judgment=args.judgment,
            actual=args.actual,
            distinguishable=args.distinguishable,
            method=args.method,
        ).as_json()
    return fit_growth(
        frame,
        dyad=args.dyad,
        role=args.role,
        time=args.time,
        outcome=args.outcome,
        method=args.method,
    ).as_json()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        result = run(args)
    except (DyadicDataError, EstimationError) as exc:
        message = " ".join(str(exc).split())
        print(f"error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(json.dumps(result, indent=2, allow_nan=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
