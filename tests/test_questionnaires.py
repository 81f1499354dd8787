"""Questionnaires end to end through Django: give, fill in page by page, send, reopen, read."""

from __future__ import annotations

import io
import json
import re
import uuid

import pytest
from django.urls import reverse

from dyade.audit.models import AuditEvent
from dyade.questionnaires import access as questionnaires_access
from dyade.questionnaires.models import Administration, InstrumentText, Status
from tests.conftest import (
    A_INTAKE_HOPE,
    B_INTAKE_HOPE,
    World,
    client_for,
    import_item_texts,
    make_administration,
)


def _assign(world: World, instrument: str, who: str, request_id: str | None = None) -> object:
    return client_for(world.therapist).post(
        reverse("cases:assign_questionnaire", args=[world.case.pk]),
        {"request_id": request_id or str(uuid.uuid4()), "instrument": instrument, "who": who},
    )


def _page_url(administration: Administration, number: int) -> str:
    return reverse("diary:questionnaire_page", args=[administration.pk, number])


def _new_intake_for_a(world: World) -> Administration:
    world.intake_a.delete()
    _assign(world, "dyade-intake", "A")
    return Administration.objects.get(partner=world.partner_a, instrument="dyade-intake")


# --- giving ----------------------------------------------------------------------


def test_therapist_gives_the_intake_to_both_partners_once_per_request(world: World) -> None:
    world.intake_a.delete()
    world.intake_b.delete()
    request_id = str(uuid.uuid4())
    assert _assign(world, "dyade-intake", "both", request_id).status_code == 302
    assert _assign(world, "dyade-intake", "both", request_id).status_code == 302
    given = Administration.objects.filter(instrument="dyade-intake", case=world.case)
    assert sorted(a.partner.slot for a in given) == ["A", "B"]
    assert {a.version for a in given} == {"1"}
    assert AuditEvent.objects.filter(event="questionnaire.create").count() == 2


def test_giving_again_while_one_is_open_adds_nothing(world: World) -> None:
    _assign(world, "dyade-intake", "B")
    assert Administration.objects.filter(partner=world.partner_b).count() == 1


def test_a_key_only_scale_needs_imported_texts_before_it_can_be_given(world: World) -> None:
    response = _assign(world, "ecr-r", "A")
    assert response.status_code == 302
    assert not Administration.objects.filter(instrument="ecr-r").exists()
    import_item_texts(world.practice, "ecr-r", 36)
    _assign(world, "ecr-r", "A")
    assert Administration.objects.filter(instrument="ecr-r", partner=world.partner_a).exists()


def test_a_therapist_of_another_practice_cannot_give_a_questionnaire(world: World) -> None:
    response = client_for(world.other_therapist).post(
        reverse("cases:assign_questionnaire", args=[world.case.pk]),
        {"request_id": str(uuid.uuid4()), "instrument": "dyade-intake", "who": "A"},
    )
    assert response.status_code == 404
    assert not Administration.objects.filter(partner=world.partner_a, status=Status.OPEN).exists()


# --- filling in --------------------------------------------------------------------


def test_every_page_is_saved_and_the_partner_resumes_where_they_stopped(world: World) -> None:
    administration = _new_intake_for_a(world)
    client = client_for(world.user_a)
    page1 = client.get(reverse("diary:questionnaire", args=[administration.pk]), follow=True)
    assert page1.status_code == 200
    response = client.post(
        _page_url(administration, 1),
        {"q-story.hopes": "Weer lachen samen", "q-story.duration": "3-10", "action": "next"},
    )
    assert response["Location"] == _page_url(administration, 2)
    response = client.post(
        _page_url(administration, 2),
        {"q-commitment.continue": "yes", "q-commitment.love": "8", "action": "stop"},
    )
    assert response["Location"] == reverse("diary:home")
    # A new session (closing the browser) starts on page 2 with every answer there.
    fresh = client_for(world.user_a)
    resume = fresh.get(reverse("diary:questionnaire", args=[administration.pk]))
    assert resume["Location"] == _page_url(administration, 2)
    body = fresh.get(_page_url(administration, 2)).content.decode()
    assert _checked(body, "q-commitment.continue", "yes")
    assert _checked(body, "q-commitment.love", "8")
    page_one = fresh.get(_page_url(administration, 1)).content.decode()
    assert "Weer lachen samen" in page_one
    stored = Administration.objects.get(pk=administration.pk).answers
    assert stored == {
        "story.hopes": "Weer lachen samen",
        "story.duration": "3-10",
        "commitment.continue": "yes",
        "commitment.love": 8,
    }


def test_checked_answers_come_back_checked(world: World) -> None:
    administration = _new_intake_for_a(world)
    client = client_for(world.user_a)
    client.post(
        _page_url(administration, 2),
        {"q-commitment.continue": "unsure", "q-commitment.love": "8", "action": "next"},
    )
    body = client.get(_page_url(administration, 2)).content.decode()
    assert _checked(body, "q-commitment.continue", "unsure")
    assert _checked(body, "q-commitment.love", "8")
    assert not _checked(body, "q-commitment.love", "7")


def _checked(body: str, name: str, value: str) -> bool:
    for tag in re.findall(r"<input[^>]*>", body):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return "checked" in tag
    raise AssertionError(f"no input {name}={value}")


def test_a_bad_answer_is_refused_clearly_and_what_was_typed_stays(world: World) -> None:
    administration = _new_intake_for_a(world)
    client = client_for(world.user_a)
    response = client.post(
        _page_url(administration, 1),
        {"q-story.hopes": "Mijn getypte hoop", "q-story.duration": "forever", "action": "next"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mijn getypte hoop" in body
    assert 'role="alert"' in body
    assert Administration.objects.get(pk=administration.pk).answers == {}


def test_a_page_that_does_not_exist_is_not_found(world: World) -> None:
    administration = _new_intake_for_a(world)
    client = client_for(world.user_a)
    assert client.get(_page_url(administration, 0)).status_code == 404
    assert client.get(_page_url(administration, 99)).status_code == 404


def test_safety_answers_are_not_shown_back_and_an_empty_page_keeps_them(world: World) -> None:
    administration = _new_intake_for_a(world)
    instrument = administration.definition()
    number = next(i for i, page in enumerate(instrument.pages, 1) if page.link_id == "safety")
    client = client_for(world.user_a)
    client.post(_page_url(administration, number), {"q-safety.physical": "often", "action": "next"})
    body = client.get(_page_url(administration, number)).content.decode()
    assert not _checked(body, "q-safety.physical", "often")
    client.post(_page_url(administration, number), {"action": "next"})
    assert Administration.objects.get(pk=administration.pk).answers["safety.physical"] == "often"


def test_sending_locks_the_questionnaire_and_a_double_send_is_harmless(world: World) -> None:
    administration = _new_intake_for_a(world)
    client = client_for(world.user_a)
    client.post(_page_url(administration, 1), {"q-story.hopes": "eerst", "action": "next"})
    review = reverse("diary:questionnaire_review", args=[administration.pk])
    client.post(review)
    client.post(review)
    administration.refresh_from_db()
    assert administration.status == Status.SUBMITTED
    sent = AuditEvent.objects.filter(event="questionnaire.update", detail="sent")
    assert sent.count() == 1
    response = client.post(
        _page_url(administration, 1), {"q-story.hopes": "later", "action": "next"}
    )
    assert response.status_code == 302
    assert Administration.objects.get(pk=administration.pk).answers["story.hopes"] == "eerst"


def test_the_therapist_reopens_a_sent_questionnaire(world: World) -> None:
    url = reverse("cases:reopen_questionnaire", args=[world.case.pk, world.intake_a.pk])
    assert client_for(world.therapist).post(url).status_code == 302
    world.intake_a.refresh_from_db()
    assert world.intake_a.is_open
    assert world.intake_a.reopened_count == 1
    client = client_for(world.user_a)
    response = client.post(
        _page_url(world.intake_a, 1), {"q-story.hopes": "anders", "action": "next"}
    )
    assert response.status_code == 302
    assert Administration.objects.get(pk=world.intake_a.pk).answers["story.hopes"] == "anders"


def test_partners_cannot_reopen(world: World) -> None:
    url = reverse("cases:reopen_questionnaire", args=[world.case.pk, world.intake_a.pk])
    assert client_for(world.user_a).post(url).status_code == 403
    world.intake_a.refresh_from_db()
    assert not world.intake_a.is_open


def test_the_author_reads_back_private_answers_but_not_the_safety_part(world: World) -> None:
    instrument = world.intake_a.definition()
    own = questionnaires_access.answer_view(world.user_a, world.intake_a, instrument)
    assert own["story.hopes"] == A_INTAKE_HOPE
    assert "safety.physical" not in own and "safety.fear" not in own
    therapist = questionnaires_access.answer_view(world.therapist, world.intake_a, instrument)
    assert therapist["safety.physical"] == "sometimes"
    assert questionnaires_access.answer_view(world.user_b, world.intake_a, instrument) == {}
    assert (
        questionnaires_access.answer_view(world.other_therapist, world.intake_a, instrument) == {}
    )
    assert (
        questionnaires_access.answer_view(world.user_a, world.hits_a, world.hits_a.definition())
        == {}
    )


# --- what partner B can and cannot find --------------------------------------------


def test_partner_b_finds_no_trace_of_a_questionnaires(world: World) -> None:
    client = client_for(world.user_b)
    pages = [
        reverse("diary:home"),
        reverse("diary:questionnaires"),
        reverse("diary:questionnaire", args=[world.intake_b.pk]),
        _page_url(world.intake_b, 1),
        reverse("diary:questionnaire_review", args=[world.intake_b.pk]),
    ]
    for page in pages:
        body = client.get(page, follow=True).content.decode()
        assert A_INTAKE_HOPE not in body, page
        assert f"/me/questionnaires/{world.intake_a.pk}/" not in body, page
        assert f"/me/questionnaires/{world.hits_a.pk}/" not in body, page
    for administration in (world.intake_a, world.hits_a):
        for url in (
            reverse("diary:questionnaire", args=[administration.pk]),
            _page_url(administration, 1),
            reverse("diary:questionnaire_review", args=[administration.pk]),
        ):
            assert client.get(url).status_code == 404
            assert client.post(url, {"q-story.hopes": "B was here"}).status_code == 404
    world.intake_a.refresh_from_db()
    assert world.intake_a.answers["story.hopes"] == A_INTAKE_HOPE


def test_a_refusal_looks_the_same_as_an_id_that_does_not_exist(world: World) -> None:
    client = client_for(world.user_b)
    real = client.get(reverse("diary:questionnaire_review", args=[world.intake_a.pk]))
    missing = client.get(reverse("diary:questionnaire_review", args=[999999]))
    assert real.status_code == missing.status_code == 404
    # Apart from the CSRF token and the typed address itself, the pages are identical.
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|/me/questionnaires/\d+/')
    assert token.sub(b"", real.content) == token.sub(b"", missing.content)


def test_partner_lists_show_only_their_own_questionnaires(world: World) -> None:
    a_list = client_for(world.user_a).get(reverse("diary:questionnaires")).content.decode()
    b_list = client_for(world.user_b).get(reverse("diary:questionnaires")).content.decode()
    assert f"/me/questionnaires/{world.intake_a.pk}/" in a_list
    assert f"/me/questionnaires/{world.intake_b.pk}/" not in a_list
    assert f"/me/questionnaires/{world.intake_b.pk}/" in b_list
    assert b_list.count("/me/questionnaires/") - b_list.count('/me/questionnaires/"') == 1


# --- the therapist's overview ------------------------------------------------------


def test_overview_flags_safety_first_and_shows_scores_hopes_and_flip(world: World) -> None:
    body = (
        client_for(world.therapist)
        .get(reverse("cases:questionnaires", args=[world.case.pk]))
        .content.decode()
    )
    assert body.index('id="safety"') < body.index("<table")
    assert "HITS" in body
    assert A_INTAKE_HOPE in body
    assert B_INTAKE_HOPE not in body  # B has not sent the intake yet
    assert "12,00" in body  # HITS total 3+3+3+3, Dutch decimal comma
    case_page = client_for(world.therapist).get(reverse("cases:detail", args=[world.case.pk]))
    assert 'class="alert safety"' in case_page.content.decode()


def test_attachment_plot_shows_both_partners(world: World) -> None:
    import_item_texts(world.practice, "ecr-r", 36)
    make_administration(world.partner_a, "ecr-r", {str(n): 6 for n in range(1, 37)}, sent=True)
    make_administration(world.partner_b, "ecr-r", {str(n): 2 for n in range(1, 37)}, sent=True)
    body = (
        client_for(world.therapist)
        .get(reverse("cases:questionnaires", args=[world.case.pk]))
        .content.decode()
    )
    assert "attachment-plot" in body
    assert body.count('class="marker"') == 2
    # A: anxiety (16*6 + 2*2)/18 = 5.56; B: anxiety (16*2 + 2*6)/18 = 2.44.
    assert "5.56" in body and "2.44" in body


def test_fhir_export_is_a_valid_questionnaire_response(world: World) -> None:
    response = client_for(world.therapist).get(
        reverse("cases:questionnaire_fhir", args=[world.case.pk, world.intake_a.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    resource = json.loads(response.content)
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    QuestionnaireResponse.model_validate(resource)
    assert resource["questionnaire"] == "https://dyade.nl/fhir/Questionnaire/dyade-intake|1"
    assert resource["status"] == "completed"
    groups = {group["linkId"]: group for group in resource["item"]}
    hopes = next(i for i in groups["story"]["item"] if i["linkId"] == "story.hopes")
    assert hopes["answer"] == [{"valueString": A_INTAKE_HOPE}]
    physical = next(i for i in groups["safety"]["item"] if i["linkId"] == "safety.physical")
    assert physical["answer"][0]["valueCoding"]["code"] == "sometimes"
    hits = client_for(world.therapist).get(
        reverse("cases:questionnaire_fhir", args=[world.case.pk, world.hits_a.pk])
    )
    assert json.loads(hits.content)["item"][0] == {"linkId": "1", "answer": [{"valueInteger": 3}]}


def test_an_open_questionnaire_is_not_exported(world: World) -> None:
    response = client_for(world.therapist).get(
        reverse("cases:questionnaire_fhir", args=[world.case.pk, world.intake_b.pk])
    )
    assert response.status_code == 302


# --- importing item texts ------------------------------------------------------------


def _upload(world: World, payload: object, who: str = "admin") -> object:
    content = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    upload = io.BytesIO(content)
    upload.name = "texts.json"
    return client_for(world.person(who)).post(reverse("practice:instruments"), {"file": upload})


def test_admin_imports_item_texts_per_language(world: World) -> None:
    items = {str(n): f"Vraag {n}" for n in range(1, 10)}
    response = _upload(
        world,
        {"instrument": "ecr-rs-partner", "language": "en", "items": items, "anchors": {"1": "no"}},
    )
    assert response.status_code == 302
    row = InstrumentText.objects.get(instrument="ecr-rs-partner", language="en")
    assert row.items["9"] == "Vraag 9" and row.anchors == {"1": "no"}
    items["9"] = "Nieuwe vraag 9"
    _upload(world, {"instrument": "ecr-rs-partner", "language": "en", "items": items})
    assert InstrumentText.objects.get(instrument="ecr-rs-partner", language="en").items["9"] == (
        "Nieuwe vraag 9"
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not json", "JSON"),
        ({"instrument": "dyade-intake", "language": "nl", "items": {}}, "Unknown instrument"),
        ({"instrument": "hits", "language": "de", "items": {}}, "language"),
        ({"instrument": "hits", "language": "nl", "items": {"1": "a", "2": "b"}}, "missing: 3, 4"),
        (
            {
                "instrument": "hits",
                "language": "nl",
                "items": {"1": "a", "2": "b", "3": "c", "4": " "},
            },
            "Item 4",
        ),
        (
            {
                "instrument": "hits",
                "language": "nl",
                "items": {"1": "a", "2": "b", "3": "c", "4": "d"},
                "anchors": {"9": "x"},
            },
            "anchors",
        ),
    ],
)
def test_a_wrong_file_gets_a_clear_message_and_changes_nothing(
    world: World, payload: object, message: str
) -> None:
    before = InstrumentText.objects.count()
    with_lang = {"HTTP_ACCEPT_LANGUAGE": "en"}
    world.admin.language = "en"
    world.admin.save()
    response = _upload(world, payload)
    assert response.status_code == 200, with_lang
    assert message in response.content.decode()
    assert InstrumentText.objects.count() == before


def test_only_the_practice_admin_imports_texts(world: World) -> None:
    payload = {"instrument": "hits", "language": "en", "items": {str(n): "x" for n in range(1, 5)}}
    for who in ("therapist", "partner_a", "researcher"):
        assert _upload(world, payload, who).status_code == 403
    assert not InstrumentText.objects.filter(language="en").exists()


def test_typed_line_breaks_are_stored_as_plain_newlines(world: World) -> None:
    administration = _new_intake_for_a(world)
    client_for(world.user_a).post(
        _page_url(administration, 1), {"q-story.hopes": "een\r\ntwee  ", "action": "next"}
    )
    assert Administration.objects.get(pk=administration.pk).answers["story.hopes"] == "een\ntwee"
