from __future__ import annotations

from django.apps import AppConfig


class RightsConfig(AppConfig):
    """The client's rights: a copy of one's data (GDPR art. 15 and 20) and who has seen it.

    It sits above every feature app and reads each through its access module, with
    the data subject's own account as the viewer, so a copy holds exactly what that
    person may see in Dyade.
    """

    name = "dyade.rights"
    label = "rights"
    verbose_name = "Rights"
