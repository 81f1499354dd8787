"""A closed case takes no new work until it is reopened.

Planning or moving a session, giving an exercise, a questionnaire or a reading
page and handing the tablet to a partner for a check-in are refused on a closed
case: the view calls :func:`refuse_if_closed` before it validates or saves
anything, so nothing is saved, the attempt is audited as invalid with the reason,
and the therapist is sent back to the page with a message saying why. The pages
show that the case is closed in place of their forms (``cases/closed_notice.html``).
Reading what is there stays possible; reopening the case (see
:mod:`dyade.cases.lifecycle`) makes the forms work again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from dyade.audit.services import Outcome, record
from dyade.cases.models import Case

DETAIL = "case closed"


def message() -> str:
    return _(
        "This case is closed, so nothing was saved. Reopen the case to plan sessions "
        "or to give exercises, questionnaires or pages again."
    )


def refuse_if_closed(
    request: HttpRequest, case: Case, event: str, back_to: str, *args: Any
) -> HttpResponse | None:
    """None for an open case; for a closed one, the audited refusal: a redirect to the
    page named ``back_to`` (with ``args``) that shows the message."""
    if case.is_open:
        return None
    record(request, event, case=case, outcome=Outcome.INVALID, detail=DETAIL)
    messages.error(request, message())
    return redirect(back_to, *args)
