"""Dyade's SQLite database backend: ``ENGINE = "dyade.db.sqlite"`` (see :mod:`.base`)."""
