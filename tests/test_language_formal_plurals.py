"""Plurals chosen by the number (issue 17: "op 1 dagen" must not happen), in Dutch and English.

The session's length on the session page, the number of couples over a fitted model, and the
axis of the progress charts (the therapist's per session, the partner's per check-in, the
alliance per session). Template lines are taken from the template files themselves and
rendered with the numbers 1 and 5; the charts are drawn by the code that draws them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from dyade.progress import display
from dyade.reports import progress_chart

TEMPLATES = Path(__file__).resolve().parent.parent / "dyade" / "templates"
BLOCK = re.compile(r"{% blocktranslate count .*?{% endblocktranslate %}", re.DOTALL)


def _counted(template: str, word: str) -> Template:
    """The one counted blocktranslate of ``template`` that holds ``word``."""
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    found = [block for block in BLOCK.findall(source) if word in block]
    assert len(found) == 1, f"{template}: {found}"
    return Template("{% load i18n %}" + found[0])


CASES = [
    ("sessions/session_detail.html", "minute", {"appointment": {"minutes": 1}}, "nl", "1 minuut"),
    ("sessions/session_detail.html", "minute", {"appointment": {"minutes": 5}}, "nl", "5 minuten"),
    ("sessions/session_detail.html", "minute", {"appointment": {"minutes": 1}}, "en", "1 minute"),
    ("sessions/session_detail.html", "minute", {"appointment": {"minutes": 5}}, "en", "5 minutes"),
    (
        "research/analysis.html",
        "couple",
        {"result": {"n_dyads": 1, "n_obs": 40, "method": "ml"}},
        "nl",
        "1 koppel, 40 observaties, ML.",
    ),
    (
        "research/analysis.html",
        "couple",
        {"result": {"n_dyads": 5, "n_obs": 200, "method": "reml"}},
        "nl",
        "5 koppels, 200 observaties, REML.",
    ),
    (
        "research/analysis.html",
        "couple",
        {"result": {"n_dyads": 1, "n_obs": 40, "method": "ml"}},
        "en",
        "1 couple, 40 observations, ML.",
    ),
    (
        "research/analysis.html",
        "couple",
        {"result": {"n_dyads": 5, "n_obs": 200, "method": "ml"}},
        "en",
        "5 couples, 200 observations, ML.",
    ),
]


@pytest.mark.parametrize(("template", "word", "context", "language", "expected"), CASES)
def test_a_count_in_a_template_takes_its_plural(
    template: str, word: str, context: dict[str, object], language: str, expected: str
) -> None:
    with translation.override(language):
        assert _counted(template, word).render(Context(context)) == expected


def _axis(svg: str) -> str:
    found = re.search(r'<text class="tick axis"[^>]*>([^<]*)</text>', svg)
    assert found is not None, svg
    return found.group(1)


@pytest.mark.parametrize(
    ("language", "sessions", "expected"),
    [("nl", 1, "sessie"), ("nl", 4, "sessies"), ("en", 1, "session"), ("en", 4, "sessions")],
)
def test_the_alliance_chart_counts_its_sessions(
    language: str, sessions: int, expected: str
) -> None:
    values = [(n, 7.0) for n in range(1, sessions + 1)]
    with translation.override(language):
        svg = display.alliance_chart([("A", "partner-a", values)], sessions, "Alliance")
    assert _axis(str(svg)) == expected


def test_the_axis_label_is_drawn_as_the_caller_counted_it() -> None:
    chart = progress_chart.Chart(
        title="t", lines=(), sessions=1, y_min=0, y_max=10, y_ticks=(0.0, 10.0)
    )
    assert _axis(progress_chart.render(chart)) == "sessions"  # the default: a count of sessions
    one = progress_chart.render(
        progress_chart.Chart(
            title="t",
            lines=(),
            sessions=1,
            y_min=0,
            y_max=10,
            y_ticks=(0.0, 10.0),
            axis_label="check-in",
        )
    )
    assert _axis(one) == "check-in"
