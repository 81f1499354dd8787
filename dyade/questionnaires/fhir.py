"""A sent administration as a FHIR R4 ``QuestionnaireResponse``.

The response points to the canonical URL and version of the questionnaire it
answers. Groups of the questionnaire (the pages of Dyade's intake) become
groups in the response; key-only instruments answer flat. Built as a plain
dict and checked with ``fhir.resources`` (its R4B models, whose Questionnaire
and QuestionnaireResponse are those of R4) before it leaves.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from dyade.clinic.instruments import Instrument, Item, ItemType, text_in
from dyade.questionnaires.models import Administration

CANONICAL = "https://dyade.nl/fhir/Questionnaire/{id}"


def _answers(item: Item, value: Any, instrument: Instrument) -> list[dict[str, Any]]:
    if item.type == ItemType.TEXT:
        return [{"valueString": str(value)}]
    if item.type == ItemType.INTEGER:
        return [{"valueInteger": int(value)}]
    codes = value if isinstance(value, list) else [value]
    answers = []
    for code in codes:
        option = item.option(str(code))
        if option is not None and option.value is not None:
            answers.append({"valueInteger": option.value})
        else:
            coding: dict[str, Any] = {
                "system": f"{CANONICAL.format(id=instrument.id)}/{item.link_id}",
                "code": str(code),
            }
            if option is not None:
                coding["display"] = text_in(option.texts, "nl")
            answers.append({"valueCoding": coding})
    return answers


def questionnaire_response(
    administration: Administration, answers: dict[str, Any], instrument: Instrument
) -> dict[str, Any]:
    """The FHIR resource as a dict; ``answers`` are those the reader may see."""

    def items_of(questions: tuple[Item, ...]) -> list[dict[str, Any]]:
        return [
            {"linkId": item.link_id, "answer": _answers(item, answers[item.link_id], instrument)}
            for item in questions
            if item.link_id in answers
        ]

    grouped = not instrument.key_only and any(page.link_id != "" for page in instrument.pages)
    if grouped and not instrument.pages[0].link_id.startswith("page-"):
        items = []
        for page in instrument.pages:
            inner = items_of(page.questions)
            if inner:
                items.append({"linkId": page.link_id, "item": inner})
    else:
        items = items_of(instrument.questions)
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": f"dyade-administration-{administration.pk}",
        "questionnaire": f"{CANONICAL.format(id=instrument.id)}|{instrument.version}",
        "status": "completed" if not administration.is_open else "in-progress",
        "subject": {
            "display": f"{administration.case.label}, partner {administration.partner.slot}"
        },
        "source": {"display": f"partner {administration.partner.slot}"},
    }
    if administration.submitted_at:
        resource["authored"] = administration.submitted_at.isoformat()
    if items:
        resource["item"] = items
    QuestionnaireResponse.model_validate(resource)
    return resource
