from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application
from django.db import connections

from dyade.audit.keys_check import refuse_without_keys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dyade.settings")
application = get_wsgi_application()
# A database whose stored text the configured keys cannot read: do not serve it.
refuse_without_keys()
connections.close_all()  # not shared with the workers gunicorn forks after --preload
