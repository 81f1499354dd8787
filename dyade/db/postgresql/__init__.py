"""Dyade's PostgreSQL database backend: ``ENGINE = "dyade.db.postgresql"`` (see :mod:`.base`)."""
