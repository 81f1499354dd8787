"""Exercises that end or are withdrawn, the give form without a preselected exercise,
and psycho-education pages the therapist reads before giving them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dyade.audit.models import AuditEvent
from dyade.exercises.models import Assignment
from tests.conftest import World, client_for


def _given(world: World) -> Assignment:
    return Assignment.objects.create(
        case=world.case, slug="hug-till-relaxed", minutes=5, assigned_by=world.therapist
    )


def _end(client: Client, world: World, assignment: Assignment, **data: str) -> object:
    url = reverse("cases:exercise_end", args=[world.case.pk, assignment.pk])
    return client.post(url, data)


def test_the_therapist_withdraws_an_exercise_and_the_partners_no_longer_see_it(
    world: World,
) -> None:
    assignment = _given(world)
    partner_url = reverse("diary:exercise", args=[assignment.pk])
    assert client_for(world.user_a).get(partner_url).status_code == 200
    response = _end(
        client_for(world.therapist), world, assignment, how="withdrawn", note="te vroeg"
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    assignment.refresh_from_db()
    assert not assignment.active and assignment.withdrawn and assignment.ended_at is not None
    assert assignment.end_note == "te vroeg"
    assert client_for(world.user_a).get(partner_url).status_code == 404
    assert "hug" not in client_for(world.user_b).get(reverse("diary:exercises")).content.decode()
    debrief = client_for(world.therapist).get(
        reverse("cases:exercise", args=[world.case.pk, assignment.pk])
    )
    assert 'id="exercise-ended"' in debrief.content.decode()


def test_ending_twice_ends_once(world: World) -> None:
    assignment = _given(world)
    client = client_for(world.therapist)
    _end(client, world, assignment, how="ended")
    _end(client, world, assignment, how="withdrawn")
    assignment.refresh_from_db()
    assert not assignment.withdrawn  # the first ending stands
    events = AuditEvent.objects.filter(event="exercise.update", outcome="success")
    assert [e.detail for e in events] == ["ended"]


def test_an_ending_without_a_choice_keeps_the_note(world: World) -> None:
    assignment = _given(world)
    response = _end(client_for(world.therapist), world, assignment, note="bewaar-deze-notitie")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "bewaar-deze-notitie" in response.content.decode()  # type: ignore[attr-defined]
    assignment.refresh_from_db()
    assert assignment.active


@pytest.mark.parametrize(
    "name", ["colleague", "other_therapist", "partner_a", "partner_b", "admin", "researcher"]
)
def test_nobody_else_ends_an_exercise(world: World, name: str) -> None:
    assignment = _given(world)
    response = _end(client_for(world.person(name)), world, assignment, how="ended")
    assert response.status_code in (403, 404)  # type: ignore[attr-defined]
    assignment.refresh_from_db()
    assert assignment.active


def test_an_exercise_of_another_case_is_not_found(world: World) -> None:
    other = Assignment.objects.create(
        case=world.other_case, slug="hug-till-relaxed", assigned_by=world.other_therapist
    )
    response = _end(client_for(world.therapist), world, other, how="ended")
    assert response.status_code == 404  # type: ignore[attr-defined]
    other.refresh_from_db()
    assert other.active


def test_the_give_form_has_no_exercise_chosen_beforehand(world: World) -> None:
    client = client_for(world.therapist)
    html = client.get(reverse("cases:exercises", args=[world.case.pk])).content.decode()
    select = html[html.index('name="slug"') : html.index("</select>", html.index('name="slug"'))]
    assert '<option value="" selected>' in select
    response = client.post(
        reverse("cases:exercises", args=[world.case.pk]),
        {"request_id": "a4c1c2a0-0000-4000-8000-000000000001", "who": "couple"},
    )
    assert response.status_code == 200 and not Assignment.objects.filter(case=world.case)


def test_the_therapist_previews_a_page_before_giving_it(world: World) -> None:
    url = reverse("cases:reading_preview", args=[world.case.pk, "basic-needs"])
    response = client_for(world.therapist).get(url)
    assert response.status_code == 200
    assert 'class="reading"' in response.content.decode()
    assert AuditEvent.objects.filter(event="reading_preview.read", outcome="success").exists()
    assert not world.partner_a.readings.exists()  # a preview gives nothing
    missing = reverse("cases:reading_preview", args=[world.case.pk, "no-such-page"])
    assert client_for(world.therapist).get(missing).status_code == 404


@pytest.mark.parametrize("name", ["colleague", "other_therapist", "partner_a", "admin"])
def test_only_the_cases_therapist_previews(world: World, name: str) -> None:
    url = reverse("cases:reading_preview", args=[world.case.pk, "basic-needs"])
    assert client_for(world.person(name)).get(url).status_code in (403, 404)


def test_a_stranger_is_sent_to_log_in(world: World) -> None:
    assignment = _given(world)
    for url in (
        reverse("cases:exercise_end", args=[world.case.pk, assignment.pk]),
        reverse("cases:reading_preview", args=[world.case.pk, "basic-needs"]),
    ):
        response = Client().post(url, {"how": "ended"})
        assert response.status_code == 302 and "login" in response["Location"], url
    assignment.refresh_from_db()
    assert assignment.active
