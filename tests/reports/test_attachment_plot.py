from __future__ import annotations

from dyade.reports.attachment_plot import Labels, Point, render

LABELS = Labels("Gehechtheid", "angst", "vermijding", ("laag", "angstig", "vermijdend", "<beide>"))


def test_each_partner_is_a_marker_at_their_scores() -> None:
    svg = render(
        [
            Point("A", "Sanne (A)", 1.0, 7.0, "partner-a"),
            Point("B", "Tom (B)", 7.0, 1.0, "partner-b"),
        ],
        LABELS,
    )
    assert svg.count('class="marker"') == 2
    # anxiety 1 is the left edge (x = 46), avoidance 7 the top edge (y = 46).
    assert '<circle cx="46.0" cy="46.0"' in svg
    assert '<circle cx="274.0" cy="274.0"' in svg
    assert "&lt;beide&gt;" in svg and "<beide>" not in svg


def test_partners_on_the_same_spot_are_both_visible() -> None:
    svg = render(
        [Point("A", "A", 4.0, 4.0, "partner-a"), Point("B", "B", 4.0, 4.0, "partner-b")], LABELS
    )
    assert '<circle cx="160.0" cy="160.0"' in svg
    assert '<circle cx="167.0" cy="153.0"' in svg
