"""What the partner's home says after a diary send: named in the home's address.

A saved send is answered with a redirect to the home with ``?saved=new`` or
``?saved=changed``, and the home shows the matching thanks. Django's message
cookie would do the same at the cost of signing a cookie on every send and
checking and deleting it on the next page (together more CPU than the rest of
the send's answer); the address holds no secret and can only name one of these
two fixed texts. The page's script takes the word out of the address bar, so a
reload does not thank again.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SAVED: dict[str, Promise] = {
    "new": _("Saved. Thank you for filling in your diary."),
    "changed": _("Your changes have been saved."),
}


def saved_query(created: bool) -> str:
    """The query string that makes the home thank for a send (see the module)."""
    return "?saved=new" if created else "?saved=changed"


def saved_notice(word: str | None) -> Promise | None:
    """The thanks the home shows for ``?saved=<word>``, or None."""
    return SAVED.get(word or "")
