"""A signal for writes that can change what a case needs but bypass a model's ``save()``.

Django's own ``post_save`` and ``post_delete`` already tell the caseload's order by
attention (``dyade/overview/freshness.py``) about every write through the ORM. A
write that skips them for speed (the diary submit updates its row with a prepared
statement) sends :data:`case_data_changed` instead, inside its transaction, with
``partner_id`` or ``case_id``. Apps above ``cases`` send it; the overview listens.
"""

from __future__ import annotations

from django.dispatch import Signal

case_data_changed = Signal()
