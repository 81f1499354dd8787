"""Studies, consent and the research export, tried by the people who should and should not."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile

import pandas as pd
import pyreadstat
import pytest
from django.urls import reverse
from django.utils import timezone

from dyade.accounts.models import Role
from dyade.audit.models import AuditEvent
from dyade.cases.models import Case, CaseKind, Partner
from dyade.research.models import Consent, Export, Study, StudyStatus
from dyade.research.services import dyad_id
from tests.conftest import (
    A_PRIVATE,
    A_SHARED,
    B_PRIVATE,
    World,
    client_for,
    make_entry,
    make_study,
    make_user,
)


def _export(world: World, fmt: str = "csv", study: Study | None = None, request_id: str = ""):  # type: ignore[no-untyped-def]
    study = study or world.study
    return client_for(world.researcher).post(
        reverse("research:export", args=[study.pk]),
        {"format": fmt, "request_id": request_id or str(uuid.uuid4())},
    )


def _files(response) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name) for name in archive.namelist()}


def _long(world: World, **study_values: object) -> pd.DataFrame:
    for name, value in study_values.items():
        setattr(world.study, name, value)
    world.study.save()
    files = _files(_export(world))
    return pd.read_csv(io.BytesIO(files["long.csv"]), dtype=str, keep_default_na=False)


def _add_couple(world: World, label: str, consent: tuple[bool | None, bool | None]) -> Case:
    """Another couple of practice 1 with a week of diaries and the given decisions."""
    case = Case.objects.create(
        practice=world.practice, label=label, kind=CaseKind.COUPLE, created_by=world.therapist
    )
    case.therapists.add(world.therapist)
    today = timezone.localdate()
    for slot, given in zip("AB", consent, strict=True):
        user = make_user(f"{label}-{slot}@partner.example".lower(), Role.PARTNER, world.practice)
        partner = Partner.objects.create(case=case, slot=slot, name=f"{label}{slot}", user=user)
        for offset in range(7):
            make_entry(
                partner,
                today - dt.timedelta(days=offset + 1),
                closeness=(offset + len(label) + (slot == "B")) % 11,
                desire=(offset * 3 + len(label)) % 11,
            )
        if given is not None:
            Consent.objects.create(study=world.study, partner=partner, given=given)
    return case


# --- what an export holds ---------------------------------------------------------


def test_the_export_has_four_files_a_codebook_and_a_readme(world: World) -> None:
    files = _files(_export(world))
    assert set(files) == {
        "long.csv",
        "pairwise.csv",
        "dyad.csv",
        "sessions.csv",
        "codebook.csv",
        "README.txt",
    }
    long = pd.read_csv(io.BytesIO(files["long.csv"]), dtype=str, keep_default_na=False)
    # world: A wrote on two days, B on one (the same day as A's first).
    assert len(long) == 3
    readme = files["README.txt"].decode()
    counts = "Koppels: 1. Personen: 2. Dagboekdagen in het long-bestand: 3."
    assert counts in readme  # numbers after their label: no "1 koppels"
    assert set(long["role"]) == {"A", "B"}
    assert set(long["dyad"]) == {dyad_id(world.study, world.case)}
    pairwise = pd.read_csv(io.BytesIO(files["pairwise.csv"]), dtype=str, keep_default_na=False)
    assert len(pairwise) == 4  # two dyad-days, both persons on each
    dyad = pd.read_csv(io.BytesIO(files["dyad.csv"]), dtype=str, keep_default_na=False)
    assert len(dyad) == 2
    shared_day = dyad[dyad["closeness_B"] != ""].iloc[0]
    # A wrote closeness 2 and desire 9 that day; B desire 1 (see conftest)
    assert (shared_day["closeness_A"], shared_day["desire_A"], shared_day["desire_B"]) == (
        "2",
        "9",
        "1",
    )


def test_the_export_names_nobody_and_dates_nothing(world: World) -> None:
    files = _files(_export(world))
    text = "\n".join(content.decode("utf-8") for content in files.values())
    for secret in (
        "Sanne",
        "Thomas",
        "a@partner.example",
        "b@partner.example",
        world.case.label,
        world.practice.name,
        A_PRIVATE,
        A_SHARED,
        B_PRIVATE,
        world.study.secret,
    ):
        assert secret not in text, secret
    for entry in (world.entry_a_private, world.entry_a_shared, world.entry_b):
        assert entry.date.isoformat() not in text
        assert entry.date.strftime("%d-%m-%Y") not in text
    long = pd.read_csv(io.BytesIO(files["long.csv"]), dtype=str)
    assert str(world.case.pk) not in set(long["dyad"]) | set(long["person"])
    assert "note" not in long.columns


def test_notes_are_exported_only_when_the_study_allows_free_text(world: World) -> None:
    long = _long(world, allows_free_text=True)
    assert set(long["note"]) == {A_PRIVATE, A_SHARED, B_PRIVATE}
    files = _files(_export(world))
    for name in ("pairwise.csv", "dyad.csv"):
        assert A_PRIVATE not in files[name].decode("utf-8")


def test_the_pseudonym_is_stable_within_a_study_and_differs_between_studies(
    world: World,
) -> None:
    first = _long(world)["dyad"].iloc[0]
    assert _long(world)["dyad"].iloc[0] == first
    other = make_study(world.practice, world.admin, "Tweede", world.study.data_from)
    other.researchers.add(world.researcher)
    for partner in (world.partner_a, world.partner_b):
        Consent.objects.create(study=other, partner=partner, given=True)
    files = _files(_export(world, study=other))
    assert first not in files["long.csv"].decode("utf-8")


def test_diary_days_outside_the_study_period_stay_out(world: World) -> None:
    # A's shared entry is the later of A's two days; end the study the day before it.
    until = world.entry_a_shared.date - dt.timedelta(days=1)
    long = _long(world, data_until=until)
    assert len(long) == 2
    long = _long(world, data_until=None, data_from=world.entry_a_shared.date)
    assert len(long) == 1


@pytest.mark.parametrize("fmt", ["parquet", "sav"])
def test_parquet_and_spss_hold_the_same_rows(world: World, fmt: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    files = _files(_export(world, fmt))
    assert {f"long.{fmt}", f"pairwise.{fmt}", f"dyad.{fmt}", "codebook.csv"} <= set(files)
    path = tmp_path / f"long.{fmt}"
    path.write_bytes(files[f"long.{fmt}"])
    if fmt == "parquet":
        long = pd.read_parquet(path)
    else:
        long, meta = pyreadstat.read_sav(str(path))
        assert meta.column_names_to_labels["closeness"]
    assert len(long) == 3
    a_first = long[(long["role"] == "A") & (long["day"] == 0)].iloc[0]
    assert (int(a_first["closeness"]), int(a_first["desire"])) == (2, 9)


# --- who is in it ---------------------------------------------------------------


def test_a_couple_is_in_only_when_both_partners_said_yes(world: World) -> None:
    yes = _add_couple(world, "Ja", (True, True))
    _add_couple(world, "Half", (True, None))
    _add_couple(world, "Nee", (True, False))
    long = _long(world)
    assert set(long["dyad"]) == {dyad_id(world.study, world.case), dyad_id(world.study, yes)}


def test_taking_consent_back_removes_the_couple_from_later_exports(world: World) -> None:
    client_for(world.user_b).post(reverse("diary:study", args=[world.study.pk]), {"decision": "no"})
    assert Consent.objects.get(partner=world.partner_b, study=world.study).given is False
    files = _files(_export(world))
    long = pd.read_csv(io.BytesIO(files["long.csv"]), dtype=str)
    assert long.empty
    assert Export.objects.latest("created_at").n_dyads == 0


def test_another_practice_never_reaches_a_study(world: World) -> None:
    other_partner_user = make_user("ines@partner.example", Role.PARTNER, world.other_practice)
    world.other_partner.user = other_partner_user
    world.other_partner.save()
    Consent.objects.create(study=world.study, partner=world.other_partner, given=True)
    long = _long(world)
    assert set(long["dyad"]) == {dyad_id(world.study, world.case)}
    # and the other practice's partner does not even see the study
    response = client_for(other_partner_user).get(reverse("diary:study", args=[world.study.pk]))
    assert response.status_code == 404


# --- the export is logged and safe to repeat ------------------------------------------


def test_every_export_is_logged_for_every_couple_in_it(world: World) -> None:
    yes = _add_couple(world, "Ja", (True, True))
    _add_couple(world, "Half", (True, None))
    _export(world)
    export = Export.objects.get()
    assert export.researcher == world.researcher
    assert (export.n_dyads, export.format) == (2, "csv")
    reads = AuditEvent.objects.filter(event="research.data.read", user_id=world.researcher.pk)
    assert {event.case_id for event in reads} == {world.case.pk, yes.pk}
    assert AuditEvent.objects.filter(event="research.export.create").count() == 1


def test_the_same_export_form_sent_twice_makes_one_record(world: World) -> None:
    request_id = str(uuid.uuid4())
    first = _export(world, request_id=request_id)
    second = _export(world, request_id=request_id)
    assert first.status_code == second.status_code == 200
    assert Export.objects.count() == 1


def test_a_bad_format_or_a_draft_study_gives_a_message_and_no_file(world: World) -> None:
    response = _export(world, fmt="xlsx")
    assert response.status_code == 302
    world.study.status = StudyStatus.DRAFT
    world.study.save()
    response = _export(world)
    assert response.status_code == 302
    assert not Export.objects.exists()
    page = client_for(world.researcher).get(response["Location"]).content.decode()
    assert "draft" in page or "concept" in page


def test_a_study_the_researcher_is_not_named_in_is_refused_and_logged(world: World) -> None:
    response = _export(world, study=world.unnamed_study)
    assert response.status_code == 404
    assert AuditEvent.objects.filter(event="research.export.create", outcome="denied").exists()
    assert not Export.objects.exists()


@pytest.mark.parametrize("person", ["therapist", "admin", "partner_a", "other_therapist"])
def test_nobody_but_a_named_researcher_exports(world: World, person: str) -> None:
    response = client_for(world.person(person)).post(
        reverse("research:export", args=[world.study.pk]), {"format": "csv"}
    )
    assert response.status_code == 403
    assert not Export.objects.exists()
    assert not AuditEvent.objects.filter(event="research.data.read").exists()


def test_a_deactivated_researcher_loses_the_study(world: World) -> None:
    world.researcher.is_active = False
    world.researcher.save()
    response = _export(world)
    assert response.status_code in (302, 403)
    assert not Export.objects.exists()


# --- consent: each partner alone --------------------------------------------------


def test_a_partner_decides_once_and_a_second_send_changes_nothing(world: World) -> None:
    Consent.objects.all().delete()
    client = client_for(world.user_a)
    url = reverse("diary:study", args=[world.study.pk])
    for _ in range(2):
        assert client.post(url, {"decision": "yes"}).status_code == 302
    assert Consent.objects.filter(partner=world.partner_a).count() == 1
    assert Consent.objects.get(partner=world.partner_a).given is True


def test_the_other_partner_cannot_learn_a_decision(world: World) -> None:
    url = reverse("diary:study", args=[world.study.pk])
    list_url = reverse("diary:studies")
    b = client_for(world.user_b)

    def pages() -> tuple[str, str]:
        import re

        strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
        return strip(b.get(url).content.decode()), strip(b.get(list_url).content.decode())

    before = pages()
    client_for(world.user_a).post(url, {"decision": "no"})
    assert pages() == before
    Consent.objects.filter(partner=world.partner_a).delete()
    assert pages() == before


def test_therapists_do_not_see_who_said_yes(world: World) -> None:
    page = client_for(world.therapist).get(reverse("cases:detail", args=[world.case.pk]))
    assert world.study.title not in page.content.decode()


def test_a_closed_study_takes_no_new_yes_but_a_yes_can_be_taken_back(world: World) -> None:
    world.study.status = StudyStatus.CLOSED
    world.study.save()
    url = reverse("diary:study", args=[world.study.pk])
    client_for(world.user_a).post(url, {"decision": "no"})
    assert Consent.objects.get(partner=world.partner_a).given is False
    # no longer listed for A, so A cannot say yes again
    assert client_for(world.user_a).get(url).status_code == 404
    assert client_for(world.user_a).post(url, {"decision": "yes"}).status_code == 404
    assert Consent.objects.get(partner=world.partner_a).given is False


def test_a_partner_of_an_individual_case_is_not_asked(world: World) -> None:
    user = make_user("solo@partner.example", Role.PARTNER, world.practice)
    case = Case.objects.create(
        practice=world.practice, label="Solo", kind=CaseKind.INDIVIDUAL, created_by=world.therapist
    )
    Partner.objects.create(case=case, slot="A", name="Solo", user=user)
    client = client_for(user)
    assert world.study.title not in client.get(reverse("diary:studies")).content.decode()
    assert client.get(reverse("diary:study", args=[world.study.pk])).status_code == 404


def test_the_partner_page_says_what_the_study_receives(world: World) -> None:
    page = client_for(world.user_a).get(reverse("diary:study", args=[world.study.pk]))
    text = page.content.decode()
    assert world.study.information_nl in text
    assert world.study.data_from.strftime("%Y") in text


# --- the practice admin ---------------------------------------------------------------


def _study_post(world: World, **values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "request_id": str(uuid.uuid4()),
        "title": "Verlangen in het dagelijks leven",
        "information_nl": "Uitleg",
        "information_en": "Explanation",
        "researchers": [world.researcher.pk],
        "data_from": "2026-01-01",
        "status": "draft",
    }
    data.update(values)
    return data


def test_the_admin_sets_up_a_study_once_even_when_sent_twice(world: World) -> None:
    client = client_for(world.admin)
    data = _study_post(world)
    first = client.post(reverse("practice:study_new"), data)
    second = client.post(reverse("practice:study_new"), data)
    assert first.status_code == second.status_code == 302
    assert Study.objects.filter(title="Verlangen in het dagelijks leven").count() == 1
    study = Study.objects.get(title="Verlangen in het dagelijks leven")
    assert list(study.researchers.all()) == [world.researcher]
    assert AuditEvent.objects.filter(event="study.create", user_id=world.admin.pk).count() == 1


def test_a_bad_study_form_keeps_what_was_typed(world: World) -> None:
    client = client_for(world.admin)
    data = _study_post(world, data_from="2026-05-01", data_until="2026-01-01")
    response = client.post(reverse("practice:study_new"), data)
    assert response.status_code == 200
    assert "Verlangen in het dagelijks leven" in response.content.decode()
    assert not Study.objects.filter(title="Verlangen in het dagelijks leven").exists()


def test_only_researchers_of_the_own_practice_can_be_named(world: World) -> None:
    stranger = make_user("lab@two.example", Role.RESEARCHER, world.other_practice)
    client = client_for(world.admin)
    response = client.post(
        reverse("practice:study_new"), _study_post(world, researchers=[stranger.pk])
    )
    assert response.status_code == 200
    assert not stranger.studies.exists()
    response = client.post(
        reverse("practice:study_new"), _study_post(world, researchers=[world.therapist.pk])
    )
    assert response.status_code == 200


def test_what_partners_agreed_to_is_fixed_once_the_study_opened(world: World) -> None:
    client = client_for(world.admin)
    url = reverse("practice:study", args=[world.study.pk])
    before = world.study.information_nl
    response = client.post(
        url,
        _study_post(world, information_nl="Iets heel anders", allows_free_text="on", status="open"),
    )
    assert response.status_code == 302
    world.study.refresh_from_db()
    assert world.study.information_nl == before
    assert world.study.allows_free_text is False
    response = client.post(url, _study_post(world, status="draft"))
    assert response.status_code == 200  # an open study cannot go back to draft
    world.study.refresh_from_db()
    assert world.study.status == StudyStatus.OPEN


def test_the_admin_sees_how_many_couples_take_part_and_nothing_else(world: World) -> None:
    page = client_for(world.admin).get(reverse("practice:study", args=[world.study.pk]))
    text = page.content.decode()
    assert "1 " in text
    for secret in ("Sanne", "Thomas", A_PRIVATE, dyad_id(world.study, world.case)):
        assert secret not in text
    other = client_for(world.admin).get(reverse("practice:study", args=[999_999]))
    assert other.status_code == 404


def test_an_admin_of_another_practice_cannot_open_the_study(world: World) -> None:
    admin_two = make_user("admin@two.example", Role.PRACTICE_ADMIN, world.other_practice)
    response = client_for(admin_two).get(reverse("practice:study", args=[world.study.pk]))
    assert response.status_code == 404


# --- the models on the web ---------------------------------------------------------------


def _analysis(world: World, **params: str):  # type: ignore[no-untyped-def]
    return client_for(world.researcher).get(
        reverse("research:analysis", args=[world.study.pk]), params
    )


def test_a_model_needs_enough_couples_and_says_so(world: World) -> None:
    response = _analysis(world, model="growth", outcome="closeness", method="reml")
    assert response.status_code == 200
    assert response.context["result"] is None
    assert "1" in response.context["problem"] and "3" in response.context["problem"]


def test_the_growth_model_runs_on_the_couples_that_consented(world: World) -> None:
    for label in ("Een", "Twee", "Drie", "Vier"):
        _add_couple(world, label, (True, True))
    _add_couple(world, "Nee", (True, False))
    response = _analysis(world, model="growth", outcome="closeness", method="ml")
    text = response.content.decode()
    assert response.status_code == 200, text
    assert "slope[A]" in text and "slope[B]" in text
    assert response.context["result"]["n_dyads"] == 5


@pytest.mark.parametrize(
    "params",
    [
        {"model": "apim"},
        {"model": "apim", "outcome": "closeness", "predictor": "closeness"},
        {"model": "nonsense"},
        {"model": "growth", "outcome": "note"},
        {"model": "truthbias", "method": "bayes"},
    ],
)
def test_bad_model_choices_get_a_message_not_an_error(world: World, params: dict[str, str]) -> None:
    response = _analysis(world, **params)
    assert response.status_code == 200
    assert response.context["result"] is None


def test_the_study_form_shows_its_dates_so_a_browser_date_field_can_read_them(
    world: World,
) -> None:
    page = client_for(world.admin).get(reverse("practice:study", args=[world.study.pk]))
    assert f'value="{world.study.data_from.isoformat()}"' in page.content.decode()
