"""The practice admin's retention and destruction pages: who may, the two steps, the audit."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyade.accounts.models import Role
from dyade.audit.models import AuditEvent, Outcome
from dyade.cases.models import Case, Partner
from dyade.diary.models import DiaryEntry
from dyade.rights import erasure
from dyade.rights.models import Destruction, Retention
from tests.conftest import World, client_for, make_user
from tests.test_hostile_input import EXAMPLES, hostile_text


def _dutch(text: str) -> str:
    """The words as the Dutch admin reads them (the pages follow the account's language)."""
    with translation.override("nl"):
        return translation.gettext(text)


def _step_one(world: World, what: str = "case", **extra: Any) -> dict[str, str]:
    return {"request_id": str(uuid.uuid4()), "what": what, "note": "letter of 3 May", **extra}


def _confirm(world: World, data: dict[str, str], **extra: Any) -> Any:
    fields = {"confirm_name": world.case.label, "understood": "on", **data, **extra}
    return client_for(world.admin).post(reverse("rights:confirm", args=[world.case.pk]), fields)


@pytest.mark.parametrize("name", ["therapist", "partner_a", "researcher"])
def test_only_the_practice_admin_reaches_the_pages(as_person: Any, world: World, name: str) -> None:
    client = as_person(name)
    assert client.get(reverse("rights:retention")).status_code == 403
    assert client.get(reverse("rights:destroy", args=[world.case.pk])).status_code == 403
    response = client.post(reverse("rights:confirm", args=[world.case.pk]), _step_one(world))
    assert response.status_code == 403
    assert Case.objects.filter(pk=world.case.pk).exists()


def test_a_stranger_is_sent_to_log_in(world: World) -> None:
    response = client_for(None).get(reverse("rights:destroy", args=[world.case.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_practices_admin_finds_nothing(world: World) -> None:
    other_admin = make_user("admin@two.example", Role.PRACTICE_ADMIN, world.other_practice)
    client = client_for(other_admin)
    assert client.get(reverse("rights:destroy", args=[world.case.pk])).status_code == 404
    data = {**_step_one(world), "confirm_name": world.case.label, "understood": "on"}
    response = client.post(reverse("rights:confirm", args=[world.case.pk]), data)
    assert response.status_code == 404
    assert Case.objects.filter(pk=world.case.pk).exists()
    denied = AuditEvent.objects.filter(event="rights.destroy.read", outcome=Outcome.DENIED)
    assert list(denied.values_list("user_id", flat=True)) == [other_admin.pk] * 2
    page = client.get(reverse("rights:retention"), {"q": "Sanne"}).content.decode()
    assert "Sanne &amp; Thomas" not in page


def test_the_admin_finds_a_case_by_name_or_number(world: World) -> None:
    client = client_for(world.admin)
    page = client.get(reverse("rights:retention"), {"q": "sanne"}).content.decode()
    assert reverse("rights:destroy", args=[world.case.pk]) in page
    page = client.get(reverse("rights:retention"), {"q": str(world.case.pk)}).content.decode()
    assert reverse("rights:destroy", args=[world.case.pk]) in page
    assert AuditEvent.objects.filter(event="rights.retention.list").count() == 2


def test_the_term_keeps_to_the_law(world: World) -> None:
    client = client_for(world.admin)
    url = reverse("rights:retention")
    too_short = client.post(url, {"country": "NL", "years": "15"})
    assert too_short.status_code == 200 and "years" in too_short.context["form"].errors
    assert 'value="15"' in too_short.content.decode()  # what was typed stays
    too_long = client.post(url, {"country": "BE", "years": "60"})
    assert "years" in too_long.context["form"].errors
    assert client.post(url, {"country": "BE", "years": "x"}).status_code == 200
    assert not Retention.objects.exists()
    assert client.post(url, {"country": "BE", "years": "35"}).status_code == 302
    setting = Retention.objects.get(practice=world.practice)
    assert (setting.country, setting.years, setting.changed_by) == ("BE", 35, world.admin)
    assert AuditEvent.objects.get(event="rights.retention.update", outcome="success").detail == (
        "BE, 35 years"
    )


def test_step_one_leads_to_a_confirmation_with_what_goes(world: World) -> None:
    client = client_for(world.admin)
    page = client.get(reverse("rights:destroy", args=[world.case.pk]))
    assert page.status_code == 200
    assert AuditEvent.objects.filter(event="rights.destroy.read", case_id=world.case.pk).exists()
    missing = client.post(reverse("rights:destroy", args=[world.case.pk]), {"what": "case"})
    assert missing.status_code == 200 and "note" in missing.context["form"].errors
    step_two = client.post(reverse("rights:destroy", args=[world.case.pk]), _step_one(world))
    assert step_two.status_code == 200
    counts = dict(step_two.context["counts"])
    assert counts[_dutch("diary days")] == 3 and counts[_dutch("accounts")] == 2
    assert Case.objects.filter(pk=world.case.pk).exists()  # nothing yet


def test_a_wrong_name_destroys_nothing_and_keeps_what_was_typed(world: World) -> None:
    response = _confirm(world, _step_one(world), confirm_name="Sanne")
    assert response.status_code == 200
    assert "confirm_name" in response.context["form"].errors
    assert 'value="Sanne"' in response.content.decode()
    assert "letter of 3 May" in response.content.decode()
    unticked = _confirm(world, _step_one(world), understood="")
    assert "understood" in unticked.context["form"].errors
    assert Case.objects.filter(pk=world.case.pk).exists()
    assert not Destruction.objects.exists()


def test_the_whole_case_goes_once_however_often_it_is_sent(world: World) -> None:
    data = _step_one(world)
    first = _confirm(world, data)
    second = _confirm(world, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert not Case.objects.filter(pk=world.case.pk).exists()
    destruction = Destruction.objects.get()
    assert destruction.by == world.admin and destruction.note == "letter of 3 May"
    page = client_for(world.admin).get(first["Location"]).content.decode()
    assert destruction.pseudonym in page and _dutch("diary days") in page


def test_one_partner_goes_and_the_pages_of_the_case_still_work(world: World) -> None:
    response = _confirm(world, _step_one(world, what="B"))
    assert response.status_code == 302
    assert not DiaryEntry.objects.filter(partner__case=world.case, partner__slot="B").exists()
    assert not DiaryEntry.objects.filter(pk=world.entry_b.pk).exists()
    assert DiaryEntry.objects.filter(partner=world.partner_a).count() == 2
    blank = Partner.objects.get(case=world.case, slot="B")
    assert blank.user is None
    therapist_page = client_for(world.therapist).get(reverse("cases:detail", args=[world.case.pk]))
    assert therapist_page.status_code == 200
    assert client_for(world.user_a).get(reverse("diary:home")).status_code == 200
    assert client_for(world.user_a).get(reverse("rights:my_data")).status_code == 200


def test_a_choice_that_is_not_offered_is_refused(world: World) -> None:
    response = _confirm(world, _step_one(world, what="C"))
    assert response.status_code == 200 and "what" in response.context["form"].errors
    individual = make_user("admin@two.example", Role.PRACTICE_ADMIN, world.other_practice)
    data = {"request_id": str(uuid.uuid4()), "what": "B", "note": "x"}
    page = client_for(individual).post(reverse("rights:destroy", args=[world.other_case.pk]), data)
    assert page.status_code == 200 and "what" in page.context["form"].errors


def test_a_refusal_of_the_database_destroys_nothing_and_says_so(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: Any, **kwargs: Any) -> None:
        raise ProtectedError("a table that still points at the case", set())

    monkeypatch.setattr(erasure, "destroy_case", refused)
    response = _confirm(world, _step_one(world))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Case.objects.filter(pk=world.case.pk).exists()
    event = AuditEvent.objects.get(event="rights.case.delete")
    assert event.outcome == Outcome.DENIED and event.case_id == world.case.pk


@pytest.mark.parametrize("name", ["admin", "therapist", "partner_a", "researcher"])
def test_no_generated_input_gives_a_server_error(world: World, as_person: Any, name: str) -> None:
    """Generated bad values in every field and query parameter of these pages, as each role:
    never a server error, and the case is never destroyed by them."""
    client = as_person(name)
    case = world.case.pk
    targets = [
        ("post", reverse("rights:retention"), ["country", "years"]),
        ("get", reverse("rights:retention"), ["q"]),
        ("post", reverse("rights:destroy", args=[case]), ["request_id", "what", "note"]),
        (
            "post",
            reverse("rights:confirm", args=[case]),
            ["request_id", "what", "note", "confirm_name", "understood"],
        ),
    ]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def send(data: st.DataObject) -> None:
        method, url, fields = data.draw(st.sampled_from(targets))
        chosen = data.draw(st.lists(st.sampled_from(fields), min_size=1, unique=True))
        values = {
            field: data.draw(st.lists(hostile_text, min_size=1, max_size=3)) for field in chosen
        }
        response = getattr(client, method)(url, values)
        assert response.status_code < 500, (method, url, values)

    send()
    assert Case.objects.filter(pk=case).exists()
    assert not Destruction.objects.exists()


def test_a_case_destroyed_a_moment_ago_by_another_admin_is_not_found(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def gone(*args: Any, **kwargs: Any) -> None:
        raise Case.DoesNotExist

    monkeypatch.setattr(erasure, "destroy_case", gone)
    assert _confirm(world, _step_one(world)).status_code == 404


def test_the_page_says_when_no_term_was_saved(world: World) -> None:
    client = client_for(world.admin)
    assert 'id="no-term-saved"' in client.get(reverse("rights:retention")).content.decode()
    client.post(reverse("rights:retention"), {"country": "NL", "years": "20"})
    assert 'id="no-term-saved"' not in client.get(reverse("rights:retention")).content.decode()
