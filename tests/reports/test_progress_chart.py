"""The progress chart: gaps stay gaps, forty sessions stay readable, text is escaped."""

from __future__ import annotations

import re

from dyade.reports import progress_chart as pc


def chart(**values: object) -> pc.Chart:
    defaults: dict[str, object] = {
        "title": "A <b>&",
        "lines": (
            pc.Line("Sanne (A)", "partner-a", (pc.Point(1, 9), pc.Point(2, None), pc.Point(3, 12))),
        ),
        "sessions": 3,
        "y_min": 0,
        "y_max": 21,
        "y_ticks": (0, 5, 10, 15, 20),
    }
    defaults.update(values)
    return pc.Chart(**defaults)  # type: ignore[arg-type]


def test_a_missed_session_breaks_the_line() -> None:
    points = (pc.Point(1, 9), pc.Point(2, None), pc.Point(3, 12), pc.Point(4, 13), pc.Point(6, 8))
    runs = pc.runs(points)
    assert [[p.session for p in run] for run in runs] == [[1], [3, 4], [6]]
    svg = pc.render(chart(lines=(pc.Line("A", "partner-a", points),), sessions=6))
    assert svg.count("<polyline") == 1  # only sessions 3 and 4 are joined
    assert svg.count('<circle class="dot') == 4


def test_forty_sessions_label_about_ten_of_them_and_always_the_last() -> None:
    labels = pc.x_labels(40)
    assert labels[0] == 1 and labels[-1] == 40
    assert len(labels) <= 11
    assert pc.x_labels(6) == [1, 2, 3, 4, 5, 6]
    assert pc.x_labels(0) == []


def test_the_cutoff_and_the_band_are_drawn_only_when_given() -> None:
    plain = pc.render(chart())
    assert 'class="cutoff"' not in plain and 'class="rc-band"' not in plain
    full = pc.render(
        chart(cutoff=13.5, cutoff_label="cut-off", band=(5.5, 12.5), band_label="band")
    )
    # 13.5 on 0-21 over a plot of 166 px from y=16: 16 + 166 * (1 - 13.5 / 21) = 75.3
    assert '<line class="cutoff" x1="40" x2="624" y1="75.3" y2="75.3"/>' in full
    band = re.search(
        r'<rect class="rc-band" x="40" y="([\d.]+)" width="584" height="([\d.]+)"', full
    )
    assert band is not None
    assert float(band.group(1)) == round(16 + 166 * (1 - 12.5 / 21), 1)


def test_every_text_is_escaped() -> None:
    svg = pc.render(chart(lines=(pc.Line("<script>", 'partner-a"', (pc.Point(1, 3),)),)))
    assert "<script>" not in svg and "A &lt;b&gt;&amp;" in svg
    assert "partner-a&quot;" in svg


def test_no_scores_say_so() -> None:
    svg = pc.render(chart(lines=(pc.Line("A", "partner-a", ()),), empty_text="Nog niets"))
    assert "Nog niets" in svg


def test_a_narrow_chart_wraps_its_legend_into_more_rows() -> None:
    wide = pc.render(
        chart(
            cutoff=13.5,
            cutoff_label="clinical cut-off",
            band=(5, 9),
            band_label="within measurement error",
        )
    )
    narrow = pc.render(
        chart(
            cutoff=13.5,
            cutoff_label="clinical cut-off",
            band=(5, 9),
            band_label="within measurement error",
            width=300,
        )
    )
    height = lambda svg: int(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))  # noqa: E731
    assert height(narrow) > height(wide)
