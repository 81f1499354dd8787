"""What identifies a person in therapy is not readable in a copy of the database.

Partner names and e-mail addresses, and the address an invitation went to, are stored
encrypted; a partner's account keeps no copy of the name. Case names stay plain on
purpose (docs/privacy.md): the form asks for a code or initials.
"""

from __future__ import annotations

import uuid

from django.db import connection
from django.urls import reverse
from django.utils import translation

from dyade.cases.forms import CaseForm
from dyade.cases.models import Case, Invitation, Partner
from dyade.crypto import EncryptedTextField
from tests.conftest import World, client_for

NAME = "Noor-4419"
EMAIL = "noor-4419@partner.example"


def _stored(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {connection.ops.quote_name(table)}"
        )
        return [str(value) for (value,) in cursor.fetchall()]


def _new_case(world: World) -> Case:
    data = {
        "request_id": str(uuid.uuid4()),
        "label": "N-F",
        "kind": "couple",
        "a_name": NAME,
        "a_email": EMAIL,
        "a_language": "nl",
        "b_name": "Fleur-7731",
        "b_email": "",
        "b_language": "nl",
    }
    response = client_for(world.therapist).post(reverse("cases:create"), data)
    assert response.status_code == 302
    return Case.objects.get(label="N-F")


def test_partner_names_and_addresses_are_stored_encrypted(world: World) -> None:
    case = _new_case(world)
    client_for(world.therapist).post(
        reverse("cases:invite", args=[case.pk, "A"]), {"request_id": str(uuid.uuid4())}
    )
    partner = Partner.objects.get(case=case, slot="A")
    assert (partner.name, partner.email) == (NAME, EMAIL)  # read back as typed
    assert Invitation.objects.get(partner=partner).sent_to == EMAIL
    stored = _stored("cases_partner", "name") + _stored("cases_partner", "email")
    stored += _stored("cases_invitation", "sent_to")
    assert stored and not [value for value in stored if NAME in value or EMAIL in value]
    assert not [value for value in stored if "Fleur-7731" in value]
    for model, name in ((Partner, "name"), (Partner, "email"), (Invitation, "sent_to")):
        assert isinstance(model._meta.get_field(name), EncryptedTextField)


def test_a_partners_account_keeps_no_copy_of_the_name(world: World) -> None:
    case = _new_case(world)
    client_for(world.therapist).post(
        reverse("cases:invite", args=[case.pk, "B"]), {"request_id": str(uuid.uuid4())}
    )
    token = Invitation.objects.get(partner__case=case, partner__slot="B").token
    accepted = client_for(None).post(
        reverse("accept_invitation", args=[token]),
        {
            "email": "fleur-7731@partner.example",
            "password1": "een-lang-wachtwoord-42",
            "password2": "een-lang-wachtwoord-42",
            "language": "nl",
        },
    )
    assert accepted.status_code == 302
    partner = Partner.objects.select_related("user").get(case=case, slot="B")
    assert partner.user is not None and partner.user.name == ""
    assert not [value for value in _stored("accounts_user", "name") if "Fleur-7731" in value]


def test_the_case_form_asks_for_a_code_or_initials() -> None:
    with translation.override("en"):
        assert "code or initials" in str(CaseForm.base_fields["label"].help_text)
    with translation.override("nl"):
        assert "code of initialen" in str(CaseForm.base_fields["label"].help_text)
