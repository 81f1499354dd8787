"""Background e-mail for accounts: the link to choose a new password.

Sent by the task worker, not while the request waits, so the answer to "send me a
link" takes the same time whether or not the address belongs to an account. The
link is made when the e-mail is sent, so no link is ever stored in the task queue.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from dyade.accounts.links import set_password_link
from dyade.accounts.middleware import speaking_to
from dyade.accounts.models import User


@task()
def send_password_link(user_id: int) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    with translation.override(speaking_to(user, user.language)):
        body = render_to_string(
            "accounts/email/password_reset_body.txt", {"link": set_password_link(user)}
        )
        subject = _("Choose a new Dyade password")
    send_mail(subject, body, None, [user.email])
    return True
