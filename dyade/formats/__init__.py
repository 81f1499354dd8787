"""Dyade's date formats: one short form per language (FORMAT_MODULE_PATH points here).

Dutch reads ``10 nov. 2026``, English ``10 Nov 2026``; with a time ``10 nov. 2026, 14:30``.
Templates use ``|date`` (DATE_FORMAT) and ``|date:"DATETIME_FORMAT"`` instead of spelling a
format, so a page never mixes ``10 november 2026``, ``10 Nov 2026`` and ISO dates.
Weekday headings (``l j F``) on the diary and the sessions list are a deliberate second form.
"""
