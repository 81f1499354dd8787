"""Every page and object, tried by every named person: allowed or refused as the policy says.

Statuses: 200 shown, 302 redirected (for the stranger: to the login page),
403 the page is not for this role, 404 the object is not visible (no hint that
it exists), 405 method not allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import (
    A_INTAKE_HOPE,
    A_PRIVATE,
    A_SHARED,
    B_INTAKE_HOPE,
    B_PRIVATE,
    PEOPLE,
    World,
    client_for,
)

LOGIN = "/account/login/"

# url builder, method, expected status per person (anything missing: see DEFAULT)
Matrix = dict[str, int]
CASES: list[tuple[str, Callable[[World], str], str, Matrix]] = [
    (
        "case list",
        lambda w: reverse("cases:list"),
        "get",
        {"therapist": 200, "colleague": 200, "other_therapist": 200},
    ),
    (
        "new case form",
        lambda w: reverse("cases:create"),
        "get",
        {"therapist": 200, "colleague": 200, "other_therapist": 200},
    ),
    (
        "case page",
        lambda w: reverse("cases:detail", args=[w.case.pk]),
        "get",
        {"therapist": 200, "colleague": 404, "other_therapist": 404},
    ),
    (
        "other practice's case page",
        lambda w: reverse("cases:detail", args=[w.other_case.pk]),
        "get",
        {"therapist": 404, "colleague": 404, "other_therapist": 200},
    ),
    (
        "case that does not exist",
        lambda w: reverse("cases:detail", args=[999999]),
        "get",
        {"therapist": 404, "colleague": 404, "other_therapist": 404},
    ),
    (
        "invite partner B",
        lambda w: reverse("cases:invite", args=[w.case.pk, "B"]),
        "post",
        {"therapist": 302, "colleague": 404, "other_therapist": 404},
    ),
    (
        "invite partner of other practice",
        lambda w: reverse("cases:invite", args=[w.other_case.pk, "A"]),
        "post",
        {"therapist": 404, "colleague": 404, "other_therapist": 302},
    ),
    (
        "invite by GET",
        lambda w: reverse("cases:invite", args=[w.case.pk, "B"]),
        "get",
        {"*": 405},
    ),
    (
        "partner home",
        lambda w: reverse("diary:home"),
        "get",
        {"partner_a": 200, "partner_b": 200},
    ),
    (
        "today's diary",
        lambda w: reverse("diary:entry", args=[timezone.localdate().isoformat()]),
        "get",
        {"partner_a": 200, "partner_b": 200},
    ),
    (
        "A's old entry date (read-only for A; B has no entry that day)",
        lambda w: reverse("diary:entry", args=[w.entry_a_shared.date.isoformat()]),
        "get",
        {"partner_a": 200, "partner_b": 404},
    ),
    (
        "therapists of the practice",
        lambda w: reverse("practice:therapists"),
        "get",
        {"admin": 200},
    ),
    (
        "deactivate a therapist",
        lambda w: reverse("practice:toggle", args=[w.colleague.pk]),
        "post",
        {"admin": 302},
    ),
    (
        "deactivate another practice's therapist",
        lambda w: reverse("practice:toggle", args=[w.other_therapist.pk]),
        "post",
        {"admin": 404},
    ),
    (
        "reset a therapist's two-step login",
        lambda w: reverse("practice:reset_2fa", args=[w.colleague.pk]),
        "post",
        {"admin": 302},
    ),
    ("audit log", lambda w: reverse("practice:audit"), "get", {"admin": 200}),
    (
        "instruments and text import",
        lambda w: reverse("practice:instruments"),
        "get",
        {"admin": 200},
    ),
    (
        "import texts by POST",
        lambda w: reverse("practice:instruments"),
        "post",
        {"admin": 200},  # an empty upload: the form asks for the file again
    ),
    (
        "case questionnaires overview",
        lambda w: reverse("cases:questionnaires", args=[w.case.pk]),
        "get",
        {"therapist": 200, "colleague": 404, "other_therapist": 404},
    ),
    (
        "other practice's questionnaires overview",
        lambda w: reverse("cases:questionnaires", args=[w.other_case.pk]),
        "get",
        {"therapist": 404, "colleague": 404, "other_therapist": 200},
    ),
    (
        "give a questionnaire",
        lambda w: reverse("cases:assign_questionnaire", args=[w.case.pk]),
        "post",
        {"therapist": 302, "colleague": 404, "other_therapist": 404},
    ),
    (
        "give a questionnaire by GET",
        lambda w: reverse("cases:assign_questionnaire", args=[w.case.pk]),
        "get",
        {"*": 405},
    ),
    (
        "A's sent intake (therapist view)",
        lambda w: reverse("cases:questionnaire", args=[w.case.pk, w.intake_a.pk]),
        "get",
        {"therapist": 200, "colleague": 404, "other_therapist": 404},
    ),
    (
        "A's intake through the other practice's case",
        lambda w: reverse("cases:questionnaire", args=[w.other_case.pk, w.intake_a.pk]),
        "get",
        {"therapist": 404, "colleague": 404, "other_therapist": 404},
    ),
    (
        "A's intake as FHIR",
        lambda w: reverse("cases:questionnaire_fhir", args=[w.case.pk, w.intake_a.pk]),
        "get",
        {"therapist": 200, "colleague": 404, "other_therapist": 404},
    ),
    (
        "A's HITS as FHIR",
        lambda w: reverse("cases:questionnaire_fhir", args=[w.case.pk, w.hits_a.pk]),
        "get",
        {"therapist": 200, "colleague": 404, "other_therapist": 404},
    ),
    (
        "reopen A's intake",
        lambda w: reverse("cases:reopen_questionnaire", args=[w.case.pk, w.intake_a.pk]),
        "post",
        {"therapist": 302, "colleague": 404, "other_therapist": 404},
    ),
    (
        "partner's questionnaire list",
        lambda w: reverse("diary:questionnaires"),
        "get",
        {"partner_a": 200, "partner_b": 200},
    ),
    (
        "A's intake: resume",
        lambda w: reverse("diary:questionnaire", args=[w.intake_a.pk]),
        "get",
        {
            "partner_a": 302,
            "partner_b": 404,
            "therapist": 404,
            "colleague": 404,
            "other_therapist": 404,
            "admin": 404,
            "researcher": 404,
        },
    ),
    (
        "A's intake: page 1",
        lambda w: reverse("diary:questionnaire_page", args=[w.intake_a.pk, 1]),
        "get",
        {
            "partner_a": 302,
            "partner_b": 404,
            "therapist": 404,
            "colleague": 404,
            "other_therapist": 404,
            "admin": 404,
            "researcher": 404,
        },
    ),
    (
        "A's intake: write page 1",
        lambda w: reverse("diary:questionnaire_page", args=[w.intake_a.pk, 1]),
        "post",
        {
            "partner_a": 302,
            "partner_b": 404,
            "therapist": 404,
            "colleague": 404,
            "other_therapist": 404,
            "admin": 404,
            "researcher": 404,
        },
    ),
    (
        "A's intake: review",
        lambda w: reverse("diary:questionnaire_review", args=[w.intake_a.pk]),
        "get",
        {
            "partner_a": 200,
            "partner_b": 404,
            "therapist": 404,
            "colleague": 404,
            "other_therapist": 404,
            "admin": 404,
            "researcher": 404,
        },
    ),
    (
        "A's HITS: review",
        lambda w: reverse("diary:questionnaire_review", args=[w.hits_a.pk]),
        "get",
        {
            "partner_a": 200,
            "partner_b": 404,
            "therapist": 404,
            "colleague": 404,
            "other_therapist": 404,
            "admin": 404,
            "researcher": 404,
        },
    ),
    (
        "B's open intake: page 1",
        lambda w: reverse("diary:questionnaire_page", args=[w.intake_b.pk, 1]),
        "get",
        {
            "partner_a": 404,
            "partner_b": 200,
            "therapist": 404,
            "colleague": 404,
            "other_therapist": 404,
            "admin": 404,
            "researcher": 404,
        },
    ),
    ("research", lambda w: reverse("research:home"), "get", {"researcher": 200}),
    (
        "a study the researcher is named in",
        lambda w: reverse("research:study", args=[w.study.pk]),
        "get",
        {"researcher": 200},
    ),
    (
        "a study the researcher is not named in",
        lambda w: reverse("research:study", args=[w.unnamed_study.pk]),
        "get",
        {"researcher": 404},
    ),
    (
        "a study that does not exist",
        lambda w: reverse("research:study", args=[999_999]),
        "get",
        {"researcher": 404},
    ),
    (
        "export a study",
        lambda w: reverse("research:export", args=[w.study.pk]),
        "post",
        {"researcher": 302},  # no format chosen: back to the study with a message
    ),
    (
        "export a study the researcher is not named in",
        lambda w: reverse("research:export", args=[w.unnamed_study.pk]),
        "post",
        {"researcher": 404},
    ),
    (
        "export by GET",
        lambda w: reverse("research:export", args=[w.study.pk]),
        "get",
        {"*": 405},
    ),
    (
        "model a study",
        lambda w: reverse("research:analysis", args=[w.study.pk]),
        "get",
        {"researcher": 200},
    ),
    (
        "model a study the researcher is not named in",
        lambda w: reverse("research:analysis", args=[w.unnamed_study.pk]),
        "get",
        {"researcher": 404},
    ),
    ("studies of the practice", lambda w: reverse("practice:studies"), "get", {"admin": 200}),
    ("new study form", lambda w: reverse("practice:study_new"), "get", {"admin": 200}),
    (
        "edit a study",
        lambda w: reverse("practice:study", args=[w.study.pk]),
        "get",
        {"admin": 200},
    ),
    (
        "researchers of the practice",
        lambda w: reverse("practice:researchers"),
        "get",
        {"admin": 200},
    ),
    (
        "deactivate a researcher",
        lambda w: reverse("practice:toggle", args=[w.researcher.pk]),
        "post",
        {"admin": 302},
    ),
    (
        "a partner's studies",
        lambda w: reverse("diary:studies"),
        "get",
        {"partner_a": 200, "partner_b": 200},
    ),
    (
        "a partner reads an open study",
        lambda w: reverse("diary:study", args=[w.study.pk]),
        "get",
        {"partner_a": 200, "partner_b": 200},
    ),
    (
        "a partner decides without choosing",
        lambda w: reverse("diary:study", args=[w.study.pk]),
        "post",
        {"partner_a": 200, "partner_b": 200},  # the form asks again
    ),
    (
        "a partner reads a study in draft",
        lambda w: reverse("diary:study", args=[w.draft_study().pk]),
        "get",
        {"partner_a": 404, "partner_b": 404},
    ),
    (
        "guidance",
        lambda w: reverse("cases:guidance", args=[w.case.pk]),
        "get",
        {"therapist": 200, "colleague": 404, "other_therapist": 404},
    ),
    (
        "guidance of another practice",
        lambda w: reverse("cases:guidance", args=[w.other_case.pk]),
        "get",
        {"therapist": 404, "colleague": 404, "other_therapist": 200},
    ),
    (
        "observation form",
        lambda w: reverse("cases:observation_new", args=[w.case.pk]),
        "get",
        {"therapist": 200, "colleague": 404, "other_therapist": 404},
    ),
    (
        "observation form of another practice",
        lambda w: reverse("cases:observation_new", args=[w.other_case.pk]),
        "get",
        {"therapist": 404, "colleague": 404, "other_therapist": 200},
    ),
    (
        "cycle map",
        lambda w: reverse("cases:cycle", args=[w.case.pk]),
        "get",
        {"therapist": 200, "colleague": 404, "other_therapist": 404},
    ),
    (
        "cycle map of another practice",
        lambda w: reverse("cases:cycle", args=[w.other_case.pk]),
        "get",
        {"therapist": 404, "colleague": 404, "other_therapist": 200},
    ),
    (
        "cycle map edit",
        lambda w: reverse("cases:cycle_edit", args=[w.case.pk]),
        "get",
        {"therapist": 200, "colleague": 404, "other_therapist": 404},
    ),
    (
        "cycle map edit of another practice",
        lambda w: reverse("cases:cycle_edit", args=[w.other_case.pk]),
        "get",
        {"therapist": 404, "colleague": 404, "other_therapist": 200},
    ),
    (
        "psycho-education of a case",
        lambda w: reverse("cases:reading", args=[w.case.pk]),
        "get",
        {"therapist": 200, "colleague": 404, "other_therapist": 404},
    ),
    (
        "psycho-education of a case of another practice",
        lambda w: reverse("cases:reading", args=[w.other_case.pk]),
        "get",
        {"therapist": 404, "colleague": 404, "other_therapist": 200},
    ),
    (
        "decide a signal",
        lambda w: reverse("cases:decide_signal", args=[w.case.pk, "safety.timeout-programme"]),
        "post",
        {"therapist": 302, "colleague": 404, "other_therapist": 404},
    ),
    (
        "change the track",
        lambda w: reverse("cases:change_track", args=[w.case.pk]),
        "post",
        {"therapist": 400, "colleague": 404, "other_therapist": 404},
    ),
    (
        "publish a cycle map that does not exist",
        lambda w: reverse("cases:cycle_publish", args=[w.case.pk, 1]),
        "post",
        {"therapist": 404, "colleague": 404, "other_therapist": 404},
    ),
    (
        "our pattern",
        lambda w: reverse("diary:cycle"),
        "get",
        {"partner_a": 200, "partner_b": 200},
    ),
    ("to read", lambda w: reverse("diary:reading"), "get", {"partner_a": 200, "partner_b": 200}),
    (
        "a page not given",
        lambda w: reverse("diary:read", args=["basic-needs"]),
        "get",
        {"partner_a": 404, "partner_b": 404},
    ),
    (
        "exercises of a case",
        lambda w: reverse("cases:exercises", args=[w.case.pk]),
        "get",
        {"therapist": 200, "colleague": 404, "other_therapist": 404},
    ),
    (
        "exercises of another practice's case",
        lambda w: reverse("cases:exercises", args=[w.other_case.pk]),
        "get",
        {"therapist": 404, "colleague": 404, "other_therapist": 200},
    ),
    (
        "my exercises",
        lambda w: reverse("diary:exercises"),
        "get",
        {"partner_a": 200, "partner_b": 200},
    ),
    (
        "an exercise that does not exist",
        lambda w: reverse("diary:exercise", args=[999_999]),
        "get",
        {"partner_a": 404, "partner_b": 404},
    ),
    (
        "therapist's own profile",
        lambda w: reverse("reflection:profile"),
        "get",
        {"therapist": 200, "colleague": 200, "other_therapist": 200},
    ),
]

DEFAULT = 403  # a signed-in person whose role has no business on the page


def expected(matrix: Matrix, person: str) -> int:
    if person == "stranger":
        return 302
    return matrix.get(person, matrix.get("*", DEFAULT))


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(("label", "url", "method", "matrix"), CASES, ids=[c[0] for c in CASES])
def test_access_matrix(
    world: World, person: str, label: str, url: Callable[[World], str], method: str, matrix: Matrix
) -> None:
    client = client_for(world.person(person))
    response = getattr(client, method)(url(world))
    assert response.status_code == expected(matrix, person), (label, person)
    if person == "stranger":
        assert response["Location"].startswith(LOGIN)
    body = response.content.decode()
    if person not in ("therapist", "partner_a"):
        assert A_PRIVATE not in body
    if person not in ("therapist", "partner_b"):
        assert B_PRIVATE not in body
        assert B_INTAKE_HOPE not in body
    if person not in ("therapist", "partner_a"):
        assert A_INTAKE_HOPE not in body


@pytest.mark.parametrize(
    ("person", "target"),
    [
        ("stranger", LOGIN),
        ("therapist", "/cases/"),
        ("partner_a", "/me/"),
        ("partner_b", "/me/"),
        ("admin", "/practice/"),
        ("researcher", "/research/"),
    ],
)
def test_home_sends_each_role_to_its_own_start(world: World, person: str, target: str) -> None:
    response = client_for(world.person(person)).get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(target)


def _reachable_pages_of(world: World, person: str) -> list[str]:
    """Every page a partner could try: all diary dates, all case ids, all slots."""
    dates = {world.entry_a_private.date, world.entry_a_shared.date, world.entry_b.date}
    today = timezone.localdate()
    dates |= {today, today - dt.timedelta(days=1)}
    pages = ["/", "/me/", "/me/diary/"]
    pages += [reverse("diary:entry", args=[d.isoformat()]) for d in sorted(dates)]
    # Every case and questionnaire id that exists, and some that do not. (Ids keep
    # growing across tests on PostgreSQL, so a range from 1 would grow with them.)
    case_ids = {world.case.pk, world.other_case.pk, world.other_case.pk + 1, 999_999}
    for pk in sorted(case_ids):
        pages.append(reverse("cases:detail", args=[pk]))
        for slot in "AB":
            pages.append(reverse("cases:invite", args=[pk, slot]))
    pages += ["/cases/", "/practice/", "/practice/audit/", "/research/"]
    pages += [f"/me/diary/{world.entry_a_private.pk}/", "/me/diary/../../cases/1/"]
    pages += ["/me/questionnaires/", "/me/cycle/", "/me/reading/", "/reflection/", "/me/exercises/"]
    for case_pk in (world.case.pk, world.other_case.pk):
        pages += [
            f"/cases/{case_pk}/guidance/",
            f"/cases/{case_pk}/cycle/",
            f"/cases/{case_pk}/cycle/edit/",
            f"/cases/{case_pk}/reading/",
        ]
    administration_ids = {world.intake_a.pk, world.hits_a.pk, world.intake_b.pk}
    administration_ids |= {world.intake_b.pk + 1, 999_999}
    for pk in sorted(administration_ids):
        pages += [
            f"/me/questionnaires/{pk}/",
            f"/me/questionnaires/{pk}/review/",
            f"/me/questionnaires/{pk}/page/1/",
            f"/me/questionnaires/{pk}/page/9/",
        ]
        for case_pk in (world.case.pk, world.other_case.pk):
            pages += [
                f"/cases/{case_pk}/questionnaires/",
                f"/cases/{case_pk}/questionnaires/{pk}/",
                f"/cases/{case_pk}/questionnaires/{pk}/fhir/",
            ]
    return pages


def test_partner_b_never_reads_a_private_note_by_any_url(world: World) -> None:
    client = client_for(world.user_b)
    for page in _reachable_pages_of(world, "partner_b"):
        response = client.get(page, follow=True)
        assert A_PRIVATE not in response.content.decode(), page
        assert A_INTAKE_HOPE not in response.content.decode(), page
        assert response.status_code in (200, 403, 404, 405), page


def test_partner_a_never_reads_b_private_note_by_any_url(world: World) -> None:
    client = client_for(world.user_a)
    for page in _reachable_pages_of(world, "partner_a"):
        response = client.get(page, follow=True)
        assert B_PRIVATE not in response.content.decode(), page
        assert B_INTAKE_HOPE not in response.content.decode(), page


def test_partner_b_sees_what_a_shares_and_nothing_private(world: World) -> None:
    response = client_for(world.user_b).get("/me/")
    body = response.content.decode()
    assert A_SHARED in body
    assert A_PRIVATE not in body
    # A's private desire rating (9) is not among B's view of A's days: the page is
    # rendered from these reductions, and none of them carries the field.
    shared = response.context["shared"]
    assert {entry["date"] for entry in shared} == {
        world.entry_a_private.date,
        world.entry_a_shared.date,
    }
    assert all("desire" not in entry for entry in shared)
    assert all(entry["closeness"] is not None for entry in shared)
    shared_section = body.split('class="days shared"')[1].split("</ul>")[0]
    assert "desire" not in shared_section and "verlangen" not in shared_section


def test_therapist_sees_both_partners_private_notes(world: World) -> None:
    body = client_for(world.therapist).get(f"/cases/{world.case.pk}/").content.decode()
    assert A_PRIVATE in body
    assert A_SHARED in body
    assert B_PRIVATE in body


def test_deactivated_therapist_loses_access(world: World) -> None:
    world.therapist.is_active = False
    world.therapist.save()
    response = client_for(world.therapist).get(f"/cases/{world.case.pk}/")
    assert response.status_code == 302
    assert A_PRIVATE not in response.content.decode()


def test_unassigning_a_therapist_removes_access(world: World) -> None:
    world.case.therapists.remove(world.therapist)
    response = client_for(world.therapist).get(f"/cases/{world.case.pk}/")
    assert response.status_code == 404


def test_admin_audit_log_only_shows_own_practice(world: World) -> None:
    client_for(world.other_therapist).get(f"/cases/{world.other_case.pk}/")
    body = client_for(world.admin).get("/practice/audit/").content.decode()
    assert "therapist@two.example" not in body
    assert world.other_case.label not in body


def test_a_partner_of_another_case_is_refused(world: World) -> None:
    from dyade.accounts.models import Role
    from tests.conftest import make_user

    stranger_partner = make_user("c@partner.example", Role.PARTNER, world.practice)
    world.other_partner.user = stranger_partner
    world.other_partner.save()
    client = client_for(stranger_partner)
    assert A_PRIVATE not in client.get("/me/").content.decode()
    assert A_SHARED not in client.get("/me/").content.decode()
    response = client.get(reverse("diary:entry", args=[world.entry_a_shared.date.isoformat()]))
    assert response.status_code == 404
