"""Every shipped instrument file is a valid FHIR R4 Questionnaire with Dutch and English text."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from dyade.clinic.instruments import ItemType, Kind
from dyade.content import INSTRUMENTS_DIR, all_instruments, current_instruments, instrument

FILES = sorted(INSTRUMENTS_DIR.glob("*/*.json"))


def test_the_promised_instruments_ship() -> None:
    assert {i.id for i in current_instruments()} >= {
        "ecr-r",
        "ecr-rs-partner",
        "hits",
        "dyade-intake",
    }


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_file_is_a_valid_fhir_questionnaire(path) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text(encoding="utf-8"))
    resource = Questionnaire.model_validate(data["questionnaire"])
    assert resource.id == path.parent.name
    assert resource.version == path.stem
    assert resource.url == f"https://dyade.nl/fhir/Questionnaire/{resource.id}"


@pytest.mark.parametrize("key", sorted(all_instruments()), ids=lambda k: f"{k[0]}@{k[1]}")
def test_every_text_is_in_dutch_and_english(key: tuple[str, str]) -> None:
    item = all_instruments()[key]
    assert set(item.titles) == {"nl", "en"}
    assert set(item.descriptions) == {"nl", "en"}
    for page in item.pages:
        if page.texts:
            assert set(page.texts) == {"nl", "en"}, page.link_id
        for question in page.items:
            if item.key_only:
                assert not question.texts, "licensed item texts must not ship"
                continue
            assert set(question.texts) == {"nl", "en"}, question.link_id
            for option in question.options:
                if option.value is None:
                    assert set(option.texts) == {"nl", "en"}, (question.link_id, option.code)


def test_the_intake_is_dyade_s_own_and_its_safety_part_is_clinical() -> None:
    intake = instrument("dyade-intake")
    assert intake.kind == Kind.DYADE and not intake.scored and not intake.key_only
    safety = next(page for page in intake.pages if page.link_id == "safety")
    assert safety.visibility == "clinical"
    assert all(question.visibility == "clinical" for question in safety.items)
    assert intake.question("story.hopes") is not None
    assert intake.question("story.hopes").type == ItemType.TEXT  # type: ignore[union-attr]
    assert intake.question("commitment.other-relationship").visibility == "clinical"  # type: ignore[union-attr]
    assert intake.question("conflict.position").visibility == "private"  # type: ignore[union-attr]


def test_an_unknown_version_is_refused() -> None:
    with pytest.raises(ValueError, match="no version"):
        instrument("ecr-r", "99")


# --- psycho-education and exercises ----------------------------------------------------

PROMISED_READINGS = {
    "basic-needs",
    "pursue-withdraw",
    "attachment-styles",
    "points-of-balance",
    "comfort-conflict-zone",
    "sex-barometer",
    "stress-exhaustion",
    "good-enough-sex",
}
PROMISED_EXERCISES = {
    "affectionate-touch": "agreement",
    "synchronised-hugging": "guided",
    "sensate-focus": "ladder",
    "hug-till-relaxed": "guided",
    "turn-on-turn-off": "inventory",
    "self-soothing": "guided",
    "time-out-plan": "plan",
    "loving-boundary": "log",
    "forearm-stroking": "in-session",
}


def test_the_promised_reading_pages_ship_in_both_languages() -> None:
    from dyade.content import readings

    pages = readings()
    assert set(pages) == PROMISED_READINGS
    for page in pages.values():
        for language in ("nl", "en"):
            text = page.in_language(language)
            assert text["title"] and text["sections"]
            assert all(section["paragraphs"] for section in text["sections"])


def test_the_promised_exercises_ship_with_their_kinds() -> None:
    from dyade.content import exercises

    assert {slug: data["kind"] for slug, data in exercises().items()} == PROMISED_EXERCISES


def test_hug_till_relaxed_is_a_2_to_10_minute_timer_with_balance_breaks() -> None:
    from dyade.content import exercises

    timer = exercises()["hug-till-relaxed"]["timer"]
    assert (timer["min_minutes"], timer["max_minutes"], timer["breaks"]) == (2, 10, True)


def test_every_exercise_text_exists_in_dutch_and_english() -> None:
    from dyade.content import exercise_text, exercises

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for item in value.values() for s in strings(item)]
        if isinstance(value, list):
            return [s for item in value for s in strings(item)]
        return []

    for slug in exercises():
        dutch, english = exercise_text(slug, "nl"), exercise_text(slug, "en")
        assert dutch["title"] != english["title"]
        assert all(text.strip() for text in strings(dutch["steps"]) + strings(english["steps"]))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"slug": "other"}, "slug"),
        ({"kind": "quiz"}, "kind"),
        ({"steps": []}, "steps"),
        ({"title": {"nl": "alleen Nederlands"}}, "title"),
        ({"timer": None}, "timer"),
    ],
)
def test_a_broken_exercise_file_is_refused(change: dict[str, object], message: str) -> None:
    from dyade.content import check_exercise, exercises

    data = {**exercises()["hug-till-relaxed"], **change}
    with pytest.raises(ValueError, match=message):
        check_exercise(data, "hug-till-relaxed")
