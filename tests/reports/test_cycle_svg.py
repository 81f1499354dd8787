"""The cycle map as SVG (no database)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import escape

import pytest

from dyade.clinic.cycle import MAX_TEXT, CycleMap, PartnerCycle, Side
from dyade.clinic.intake import Position
from dyade.reports.cycle_svg import CycleLabels, render
from dyade.reports.cycle_text import BOLD, ELLIPSIS, EM, MAX_LINES, units, wrap

NS = "{http://www.w3.org/2000/svg}"
LABELS = CycleLabels(
    title="Cyclus rond seks",
    enemy="Het patroon is de vijand, niet de partner",
    position={"pursue": "Najager", "withdraw": "Terugtrekker"},
    layers={
        "behaviour": "Gedrag",
        "perceived_as": "Hoe de ander het leest",
        "secondary_emotion": "Secundaire emotie",
        "primary_emotion": "Primaire emotie",
        "need": "Behoefte / angst",
    },
    empty="nog te ontdekken",
    flip="Flip",
    unknown_position="positie onbekend",
    reads="Zo leest {name} het",
)
NAMES = {"A": "Janine (A)", "B": "Mathijs (B)"}
LONG = " ".join(
    ["Wanneer hij laat thuiskomt begint ze te vragen, eerst rustig en dan harder,"] * 4
)[:MAX_TEXT]
CAPS = "WOEDEND MMMMM WWWWW OVERWELDIGD EN MACHTELOOS ALLES TEGELIJK WAARGENOMEN EN MEER"

COUPLE = CycleMap(
    {
        "A": PartnerCycle(
            daily=Side(
                Position.PURSUE, "Ze bekritiseert", "Ik faal altijd", "Boos", "Bang", "Gezien"
            ),
            sex=Side(Position.WITHDRAW, "Ze wendt zich af", need="Eerst verbinding"),
        ),
        "B": PartnerCycle(
            daily=Side(
                Position.WITHDRAW, "Hij zwijgt", "Hij is weg", "Verdoofd", "Schaamte", "Rust"
            ),
            sex=Side(Position.WITHDRAW, "Hij slaapt vroeg"),
        ),
    }
)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def viewbox(root: ET.Element) -> tuple[float, float]:
    x, y, width, height = (float(v) for v in root.get("viewBox", "").split())
    assert (x, y) == (0, 0)
    return width, height


def lines_of(element: ET.Element) -> list[str]:
    spans = element.findall(f"{NS}tspan")
    return [span.text or "" for span in spans] if spans else [element.text or ""]


def shown(root: ET.Element) -> list[str]:
    """The visible text of every <text> element, wrapped lines joined by a space."""
    return [" ".join(lines_of(text)) for text in root.iter(f"{NS}text")]


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [element for element in root.iter() if name in classes(element)]


def test_output_is_xml_with_a_title_and_every_text_drawn() -> None:
    root = parse(render(COUPLE, "daily", NAMES, LABELS))
    assert root.findtext(f"{NS}title") == "Cyclus rond seks"
    assert "cycle-map" in classes(root)
    texts = shown(root)
    for slot in "AB":
        side = COUPLE.side(slot, "daily")
        for text in (side.behaviour, side.perceived_as, side.secondary_emotion):
            assert text in texts
        assert side.primary_emotion in texts and side.need in texts
    assert {"Janine (A)", "Mathijs (B)", "Najager", "Terugtrekker"} <= set(texts)
    assert "Zo leest Janine (A) het" in texts and "Zo leest Mathijs (B) het" in texts
    assert LABELS.enemy in " ".join(texts).replace("  ", " ")


def test_the_reading_of_a_behaviour_sits_with_the_other_partner() -> None:
    root = parse(render(COUPLE, "daily", NAMES, LABELS))
    readings = {
        " ".join(lines_of(group.findall(f"{NS}text")[0])): " ".join(
            lines_of(group.findall(f"{NS}text")[1])
        )
        for group in by_class(root, "cycle-reading")
    }
    # A's behaviour is read by B, and B's by A.
    assert readings == {
        "Zo leest Mathijs (B) het": "Ik faal altijd",
        "Zo leest Janine (A) het": "Hij is weg",
    }


def test_user_text_is_escaped() -> None:
    evil = '<script>&"x'
    cycle = CycleMap({"A": PartnerCycle(daily=Side(Position.PURSUE, evil, need=evil))})
    labels = CycleLabels(
        title="<b>titel</b>",
        enemy="vijand & partner",
        position={"pursue": '<i>"na"</i>'},
        layers={},
        empty="<leeg>",
        flip="<flip>",
        unknown_position="<?>",
    )
    svg = render(cycle, "daily", {"A": '<script>&"Sanne (A)', "B": "Tom (B)"}, labels)
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg and "<leeg>" not in svg
    assert escape('<script>&"Sanne (A)') in svg
    assert escape(evil) in svg and escape('<i>"na"</i>') in svg and "vijand &amp; partner" in svg
    root = parse(svg)  # and the escaped markup is still well-formed
    texts = shown(root)
    assert '<script>&"Sanne (A)' in texts and evil in texts and "<leeg>" in texts


def _numbers(path: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]


@pytest.mark.parametrize("domain", ["daily", "sex"])
@pytest.mark.parametrize("names", [NAMES, {"A": "Janine (A)"}])
def test_everything_stays_inside_the_viewbox(domain: str, names: dict[str, str]) -> None:
    side = Side(
        Position.PURSUE, LONG, CAPS, "Donaudampfschifffahrtsgesellschaftskapitän", LONG, CAPS
    )
    cycle = CycleMap({"A": PartnerCycle(side, side), "B": PartnerCycle(sex=side)})
    long_names = {slot: name * 6 for slot, name in names.items()}
    root = parse(render(cycle, domain, long_names, LABELS))
    width, height = viewbox(root)
    for rect in root.iter(f"{NS}rect"):
        x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
        assert 0 <= x and x + float(rect.get("width", 0)) <= width
        assert 0 <= y and y + float(rect.get("height", 0)) <= height
    for text in root.iter(f"{NS}text"):
        size = float(text.get("font-size", 0))
        assert size > 0
        for element in [text, *text.findall(f"{NS}tspan")]:
            if element.get("x") is None:
                continue
            x, y = float(element.get("x", 0)), float(element.get("y", 0))
            assert 0 <= x <= width and size <= y <= height
    for path in root.iter(f"{NS}path"):
        values = _numbers(path.get("d", ""))
        assert all(0 <= v <= width for v in values[0::2])
        assert all(0 <= v <= height for v in values[1::2])


def test_wrapped_lines_stay_inside_their_boxes() -> None:
    side = Side(Position.PURSUE, LONG, CAPS, "x" * 120, "mmm " * 40, "W" * 70)
    cycle = CycleMap({"A": PartnerCycle(side), "B": PartnerCycle(side)})
    root = parse(render(cycle, "daily", NAMES, LABELS))
    layers = by_class(root, "cycle-layer")
    assert len(layers) == 10
    for layer in layers:
        rect = layer.find(f"{NS}rect")
        assert rect is not None
        left = float(rect.get("x", 0))
        right = left + float(rect.get("width", 0))
        top = float(rect.get("y", 0))
        bottom = top + float(rect.get("height", 0))
        for text in layer.findall(f"{NS}text"):
            size = float(text.get("font-size", 0))
            bold = "cycle-heading" in classes(text)
            for element in [text, *text.findall(f"{NS}tspan")]:
                if element.get("x") is None:
                    continue
                x, y = float(element.get("x", 0)), float(element.get("y", 0))
                drawn = units(element.text or "") * size * EM * (BOLD if bold else 1)
                assert left < x and x + drawn < right
                assert top + size <= y < bottom


def test_wrap_breaks_by_width_and_ends_in_an_ellipsis() -> None:
    lines, cut = wrap("aaaa bbbb cccc dddd", 10)
    assert not cut and lines == ["aaaa bbbb", "cccc dddd"]
    lines, cut = wrap(LONG, 30)
    assert cut and len(lines) == MAX_LINES and lines[-1].endswith(ELLIPSIS)
    assert all(units(line) <= 30 for line in lines)
    # A word longer than a line is cut; capitals take more room than lowercase.
    assert wrap("a" * 25, 10)[0] == ["a" * 10, "a" * 10, "a" * 5]
    assert len(wrap("W" * 30, 20)[0][0]) < len(wrap("a" * 30, 20)[0][0]) == 20
    assert wrap("", 10) == ([], False)


def test_a_long_text_is_cut_with_an_ellipsis_and_kept_whole_in_a_title() -> None:
    cycle = CycleMap({"A": PartnerCycle(daily=Side(Position.PURSUE, LONG))})
    root = parse(render(cycle, "daily", NAMES, LABELS))
    (layer,) = [g for g in by_class(root, "cycle-depth-0") if g.findtext(f"{NS}title") == LONG]
    text = layer.findall(f"{NS}text")[1]
    lines = lines_of(text)
    assert len(lines) == MAX_LINES and lines[-1].endswith(ELLIPSIS)
    assert LONG in (root.findtext(f"{NS}desc") or "")


def test_the_flip_marker_is_shown_only_around_sex_and_only_for_who_flips() -> None:
    daily = parse(render(COUPLE, "daily", NAMES, LABELS))
    assert by_class(daily, "cycle-flip") == []
    sex = parse(render(COUPLE, "sex", NAMES, LABELS))
    (half_a, half_b) = by_class(sex, "cycle-half")
    assert "partner-a" in classes(half_a) and "partner-b" in classes(half_b)
    (marker,) = by_class(half_a, "cycle-flip")
    assert "Flip" in (marker.findtext(f"{NS}text") or "")
    assert by_class(half_b, "cycle-flip") == []

    both = CycleMap(
        {
            "A": COUPLE.partners["A"],
            "B": PartnerCycle(daily=Side(Position.WITHDRAW), sex=Side(Position.PURSUE)),
        }
    )
    assert len(by_class(parse(render(both, "sex", NAMES, LABELS)), "cycle-flip")) == 2


def test_a_long_flip_label_moves_to_a_row_of_its_own() -> None:
    labels = CycleLabels(**{**LABELS.__dict__, "flip": "Flip: omgekeerd t.o.v. dagelijks"})
    root = parse(render(COUPLE, "sex", NAMES, labels))
    (marker,) = by_class(root, "cycle-flip")
    (chip,) = by_class(by_class(root, "cycle-half")[0], "cycle-chip")
    flip_rect, chip_rect = marker.find(f"{NS}rect"), chip.find(f"{NS}rect")
    assert flip_rect is not None and chip_rect is not None
    assert float(flip_rect.get("y", 0)) > float(chip_rect.get("y", 0))
    assert "Flip: omgekeerd t.o.v. dagelijks" in (marker.findtext(f"{NS}text") or "")


def test_the_loop_arrows_run_from_each_behaviour_to_the_others_reading() -> None:
    root = parse(render(COUPLE, "daily", NAMES, LABELS))
    arrows = [p for p in by_class(root, "cycle-arrow")]
    assert len(arrows) == 4
    assert [("partner-a" in classes(a), "partner-b" in classes(a)) for a in arrows].count(
        (True, False)
    ) == 2
    readings = {
        " ".join(lines_of(g.findall(f"{NS}text")[0])): g.find(f"{NS}rect")
        for g in by_class(root, "cycle-reading")
    }
    read_b = readings["Zo leest Mathijs (B) het"]
    assert read_b is not None
    # A's loop arrow ends (its head) at the right edge of B's reading box.
    heads = [h for h in by_class(root, "cycle-head") if "partner-a" in classes(h)]
    tips = [_numbers(h.get("d", ""))[:2] for h in heads]
    right = float(read_b.get("x", 0)) + float(read_b.get("width", 0))
    top = float(read_b.get("y", 0))
    assert any(
        x == pytest.approx(right) and top < y < top + float(read_b.get("height", 0))
        for x, y in tips
    )


def test_one_partner_is_drawn_without_a_loop() -> None:
    cycle = CycleMap({"A": PartnerCycle(daily=Side(Position.PURSUE, "Ze belt", "Claimend"))})
    root = parse(render(cycle, "daily", {"A": "Sanne (A)"}, LABELS))
    halves = by_class(root, "cycle-half")
    assert len(halves) == 1 and "partner-a" in classes(halves[0])
    assert by_class(root, "partner-b") == []
    assert by_class(root, "cycle-arrow") == [] and by_class(root, "cycle-head") == []
    texts = shown(root)
    assert "Ze belt" in texts and "Claimend" in texts and "Hoe de ander het leest" in texts
    assert not any("Zo leest" in text for text in texts)
    assert texts.count("nog te ontdekken") == 3


def test_an_empty_map_shows_placeholders_everywhere() -> None:
    root = parse(render(CycleMap(), "daily", NAMES, LABELS))
    texts = shown(root)
    # four layers on each side and the two readings
    assert texts.count("nog te ontdekken") == 10
    assert len(by_class(root, "cycle-empty")) == 10
    assert texts.count("positie onbekend") == 2
    assert len(by_class(root, "cycle-unknown")) == 2
    assert by_class(root, "cycle-flip") == []


def test_an_unknown_domain_is_refused() -> None:
    with pytest.raises(ValueError, match="domain"):
        render(COUPLE, "work", NAMES, LABELS)
