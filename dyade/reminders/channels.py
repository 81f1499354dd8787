"""How a reminder reaches a partner. Each channel is one function; add more here.

A reminder says only that there is something to do in Dyade. It never names an
exercise, a questionnaire, the other partner or anything they wrote, because a
message can be read by whoever holds the phone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from dyade.accounts.middleware import speaking_to
from dyade.reminders.models import Channel, Reminder


def send_email(reminder: Reminder) -> bool:
    partner = reminder.partner
    address = partner.user.email if partner.user_id else ""
    if not address:
        return False
    context = {
        "name": partner.name,
        "link": settings.SITE_URL.rstrip("/") + reverse("diary:home"),
        "topic": reminder.topic,
    }
    with translation.override(speaking_to(partner.user, partner.language)):
        subject = render_to_string("reminders/email_subject.txt", context).strip()
        body = render_to_string("reminders/email_body.txt", context)
    send_mail(subject, body, None, [address])
    return True


CHANNELS: dict[str, Callable[[Reminder], bool]] = {Channel.EMAIL: send_email}
