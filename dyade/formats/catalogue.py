"""Strings Django itself translates, listed here so Dyade's catalogue can give them better Dutch.

Nothing imports this module: ``makemessages`` reads it, and Dyade's catalogue (LOCALE_PATHS)
is consulted before Django's own, so these translations win at run time.

- The abbreviated months (``N`` in a date format): Django's Dutch drops the full stop
  ("nov"); Dutch style writes ``nov.``, and ``mei``/``juni``/``juli`` in full.
- The password length message: Django 5.2 changed its msgid to ``%d`` and its Dutch catalogue
  still has only the old ``%(min_length)d`` text, so Dutch pages showed it in English.
"""

from django.utils.translation import ngettext_lazy, pgettext_lazy

ABBREVIATED_MONTHS = [
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
]

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
