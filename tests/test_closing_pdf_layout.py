"""The partners' closing-summary PDF reads well: the words start on page 1, the cycle map
goes below them when it still fits there readably, and on a page of its own only when it
does not; a long text breaks across pages and no heading ends a page.

The PDFs are read back with pypdf, page by page. The map is the demo practice's
(``dyade.demo.clinical.DEMO_CYCLES``), which fills both drawings.
"""

from __future__ import annotations

import io
import json
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from dyade.clinic.cycle import parse
from dyade.demo.clinical import DEMO_CYCLES
from dyade.documents import closing_layout
from dyade.documents.closing_layout import MAX_WIDTH_MM, MIN_WIDTH_MM, place
from dyade.exercises.models import Assignment
from dyade.reports import cycle_diagram
from dyade.sessions.models import CycleVersion
from tests.conftest import A_PRIVATE, B_PRIVATE, World, client_for

MAP = DEMO_CYCLES["Sanne & Thomas"]
DAILY = "Ze zegt er iets van en blijft"  # the first words of each drawing
SEX = "Ze draait zich om en"
MAP_HEADING = "Het patroon waar jullie aan werkten"
NOTE_HEADING = "Van je therapeut"
EXERCISES_HEADING = "Oefeningen die jullie samen kregen"
SHORT = "Jullie hebben hard gewerkt. Veel sterkte samen."
PARAGRAPH = (
    "Alinea {n}: jullie leerden elkaars signalen lezen, zagen de cirkel waarin jullie "
    "vastliepen en vonden manieren om eruit te stappen. Blijf elkaar vragen wat je nodig "
    "hebt, ook als het spannend voelt, en neem de tijd om terug te kijken op wat jullie "
    "samen bereikt hebben."
)


def _note(paragraphs: int) -> str:
    return "\n\n".join(PARAGRAPH.format(n=n) for n in range(1, paragraphs + 1))


def _pages(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _page_of(pages: list[str], words: str) -> int:
    found = [index for index, text in enumerate(pages) if words in text]
    assert len(found) == 1, (words, found)
    return found[0]


# --- through the partner's download ---------------------------------------------------


def _given(world: World, note: str) -> list[str]:
    """The demo map published, an exercise for both, the case closed, a summary given
    with ``note`` and the map; partner A's PDF, page by page."""
    CycleVersion.objects.create(
        case=world.case,
        number=1,
        data_json=json.dumps(MAP, ensure_ascii=False),
        created_by=world.therapist,
        published_at=timezone.now(),
        published_by=world.therapist,
    )
    Assignment.objects.create(case=world.case, slug="hug-till-relaxed", assigned_by=world.therapist)
    therapist = client_for(world.therapist)
    closed = therapist.post(
        reverse("cases:close", args=[world.case.pk]),
        {"outcome": "grown_closer", "note": "intern"},
    )
    assert closed.status_code == 302
    given = therapist.post(
        reverse("cases:partner_summary", args=[world.case.pk]),
        {
            "note": note,
            "cycle": "on",
            "exercises": "on",
            "request_id": str(uuid.uuid4()),
            "action": "give",
        },
    )
    assert given.status_code == 302
    response = client_for(world.user_a).get(reverse("closing_pdf"))
    assert response.status_code == 200
    pages = _pages(response.content)
    for private in (A_PRIVATE, B_PRIVATE):
        assert all(private not in page for page in pages)
    return pages


@pytest.mark.django_db
def test_a_short_summary_and_its_map_fit_on_page_one(world: World) -> None:
    pages = _given(world, SHORT)
    assert len(pages) == 1
    for words in ("hechter is geworden", SHORT, "Knuffelen tot je ontspant", MAP_HEADING):
        assert words in pages[0], words
    assert DAILY in pages[0] and SEX in pages[0]


@pytest.mark.django_db
def test_a_long_text_flows_onto_page_two_and_the_map_follows_below_it(world: World) -> None:
    pages = _given(world, _note(14))
    assert len(pages) == 2
    assert _page_of(pages, NOTE_HEADING) == _page_of(pages, "Alinea 1:") == 0
    assert _page_of(pages, "Alinea 14:") == _page_of(pages, "Knuffelen tot je ontspant") == 1
    assert _page_of(pages, MAP_HEADING) == _page_of(pages, DAILY) == _page_of(pages, SEX) == 1


# --- the layout itself, without a database ----------------------------------------------


def _context(note: str, with_map: bool = True) -> dict[str, Any]:
    drawings = cycle_diagram.both(parse(MAP), {"A": "Sanne", "B": "Thomas"}) if with_map else []
    body = {
        "outcome_words": "De therapie is afgerond omdat de relatie hechter is geworden.",
        "note": note,
        "cycle": None,
        "cycle_diagrams": drawings,
        "exercise_titles": ["Knuffelen tot je ontspant", "Tijd-uit afspreken"],
        "practice_name": "Praktijk Een",
    }
    return {
        "summary": SimpleNamespace(given_at=timezone.now()),
        "summary_body": body,
        "cycle": None,
        "cycle_diagrams": [],
        "partner": SimpleNamespace(name="Sanne"),
        "practice_name": "Praktijk Een",
        "language": "nl",
    }


def _render(note: str, with_map: bool = True) -> list[str]:
    with translation.override("nl"):
        return _pages(closing_layout.render(_context(note, with_map)))


def test_a_map_with_no_readable_room_left_starts_the_next_page_whole() -> None:
    pages = _render(_note(20))
    assert len(pages) == 3
    assert _page_of(pages, "Alinea 1:") == 0
    assert _page_of(pages, "Alinea 20:") == _page_of(pages, "Tijd-uit afspreken") == 1
    assert _page_of(pages, MAP_HEADING) == _page_of(pages, DAILY) == _page_of(pages, SEX) == 2
    assert "Alinea" not in pages[2]


def test_without_a_map_the_summary_is_one_page() -> None:
    pages = _render(SHORT, with_map=False)
    assert len(pages) == 1
    assert MAP_HEADING not in pages[0] and "Tijd-uit afspreken" in pages[0]


@pytest.mark.parametrize("lines", [36, 40, 41, 42, 46])
def test_no_heading_ends_a_page_and_the_map_is_never_split(lines: int) -> None:
    """Notes of one-line paragraphs: after 41 and 42 lines the exercises' heading would
    stand at the foot of page 1 (measured with WeasyPrint's anchors)."""
    note = "\n".join(f"Regel {n}." for n in range(1, lines + 1))
    pages = _render(note)
    assert _page_of(pages, "Hoe je therapie is afgerond") == 0
    assert _page_of(pages, NOTE_HEADING) == _page_of(pages, "Regel 1.") == 0
    assert _page_of(pages, EXERCISES_HEADING) == _page_of(pages, "Knuffelen tot je ontspant")
    assert _page_of(pages, MAP_HEADING) == _page_of(pages, DAILY) == _page_of(pages, SEX)
    assert len(pages) == _page_of(pages, MAP_HEADING) + 1


def test_the_map_leaves_page_one_only_for_words_that_leave_it_no_room() -> None:
    """With the demo's short note the map fits on page 1; paragraph by paragraph more, it
    moves whole to page 2 once, and page 1 then holds every word of the summary."""
    assert len(_render(SHORT)) == 1
    for paragraphs in range(1, 8):
        pages = _render(_note(paragraphs))
        if len(pages) > 1:
            break
    else:
        pytest.fail("the map always fitted on page 1")
    assert len(pages) == 2
    for words in ("hechter is geworden", "Alinea 1:", f"Alinea {paragraphs}:", "Tijd-uit"):
        assert _page_of(pages, words) == 0, words
    assert _page_of(pages, MAP_HEADING) == _page_of(pages, DAILY) == _page_of(pages, SEX) == 1
    assert "Alinea" not in pages[1]


# --- where the map goes: the arithmetic -------------------------------------------------


def test_the_map_goes_below_the_words_scaled_to_the_room_left() -> None:
    placed = place([2.0, 2.5], room_mm=170.0, page_room_mm=240.0)
    assert not placed.new_page
    assert placed.width_mm == 68.0  # the taller drawing fills the 170 mm
    assert placed.heights_mm == (136.0, 170.0)


def test_a_map_too_small_to_read_below_the_words_starts_a_page() -> None:
    tall = 2.6
    placed = place([tall, tall], room_mm=MIN_WIDTH_MM * tall - 1, page_room_mm=240.0)
    assert placed.new_page
    assert placed.width_mm == MAX_WIDTH_MM  # 240 / 2.6 = 92 mm, drawn at most 85 mm
    assert place([tall], room_mm=MIN_WIDTH_MM * tall, page_room_mm=240.0).new_page is False


def test_with_no_room_at_all_the_map_starts_a_page_and_fits_it() -> None:
    placed = place([4.0, 1.0], room_mm=None, page_room_mm=240.0)
    assert placed.new_page
    assert placed.width_mm == 60.0 and max(placed.heights_mm) == 240.0


def test_a_short_text_never_makes_the_map_wider_than_two_fit_side_by_side() -> None:
    placed = place([1.0, 1.2], room_mm=250.0, page_room_mm=250.0)
    assert not placed.new_page and placed.width_mm == MAX_WIDTH_MM
