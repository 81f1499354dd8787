"""Statements written once and run many times, for the few hottest paths.

Through the ORM every query is built and compiled anew, which on this machine
class costs more CPU than a whole bare Django view. The reads and writes that
every signed-in request and every diary submit make are written here once per
database and then run with new values:

* rows come back as the model instances the ORM would make: each value goes
  through the same converters (dates are dates, encrypted text is decrypted);
* values go in through each field's own preparation (encrypted text is
  encrypted, dates are adapted to the database);
* they run on the connection's own cursor (dyade.db.direct), so they take
  part in the transaction, and through Django's cursor whenever queries are
  counted, so ``CaptureQueriesContext`` counts them like any other query.

Only equality and "greater than" conditions joined by AND, and one foreign key
followed; anything more belongs in the ORM.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, ForeignKey, Model
from django.db.models import fields as plain

from dyade.db import direct

_OPERATORS = {"": "=", "exact": "=", "gt": ">"}

# Field classes whose preparation hands a value of these exact types on unchanged
# (on every backend: Django adapts neither integers nor text nor booleans). Only
# these exact classes, not subclasses: a subclass may prepare its values (the
# encrypted text field does).
_UNCHANGED: dict[type[Any], tuple[type[Any], ...]] = {
    **dict.fromkeys(
        (
            plain.IntegerField,
            plain.BigIntegerField,
            plain.SmallIntegerField,
            plain.PositiveIntegerField,
            plain.PositiveSmallIntegerField,
            plain.PositiveBigIntegerField,
            plain.AutoField,
            plain.BigAutoField,
        ),
        (int, type(None)),
    ),
    plain.CharField: (str, type(None)),
    plain.TextField: (str, type(None)),
    plain.BooleanField: (bool, type(None)),
}


def _unless_plain(field: Field[Any, Any], prepare: Any) -> Any:
    """``prepare`` (value -> database value), skipped for a value that ``field``'s class
    hands on unchanged (see ``_UNCHANGED``): Django's preparation walks several methods
    per value."""
    target = field.target_field if isinstance(field, ForeignKey) else field
    passes = _UNCHANGED.get(type(target), ())

    def run(value: Any) -> Any:
        return value if type(value) in passes else prepare(value)

    return run


def _saver(field: Field[Any, Any], connection: Any) -> Any:
    """A function preparing ``field``'s values to be written, as ``get_db_prep_save`` does."""
    return _unless_plain(field, lambda value: field.get_db_prep_save(value, connection))


def _matcher(field: Field[Any, Any], connection: Any) -> Any:
    """A function preparing a value that ``field`` is compared with (a lookup's right side)."""
    return _unless_plain(
        field, lambda value: field.get_db_prep_value(value, connection, prepared=False)
    )


def _conditions(
    model: type[Model], by: Sequence[str], connection: BaseDatabaseWrapper, table: str
) -> tuple[str, list[Field[Any, Any]]]:
    quote = connection.ops.quote_name
    parts, fields = [], []
    for spec in by:
        name, _sep, lookup = spec.partition("__")
        field = model._meta.get_field(name)
        parts.append(f"{quote(table)}.{quote(field.column)} {_OPERATORS[lookup]} %s")  # type: ignore[union-attr]
        fields.append(field)
    return " AND ".join(parts), fields  # type: ignore[return-value]


def _params(preparers: list[Any], values: Sequence[Any]) -> list[Any]:
    return [prepare(value) for prepare, value in zip(preparers, values, strict=True)]


def _converters(fields: list[Field[Any, Any]], alias: str, connection: Any) -> list[Any]:
    found = []
    for index, field in enumerate(fields):
        column = field.get_col(alias)
        functions = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if functions:
            found.append((index, column, functions))
    return found


class Reader:
    """The first row of ``model`` where each of ``by`` equals its value, as a model instance.

    ``fields`` limits the columns read (the others are deferred, as with
    ``only()``); ``related`` names one foreign key whose row is read in the same
    statement and set on the instance, as ``select_related()`` does, and
    ``related_fields`` limits its columns alike (its primary key is always read).
    ``related`` may go on through further foreign keys, ``"user__practice"`` as
    ``select_related()`` spells it: each row on the way is read whole (then
    ``related_fields`` is not taken), and a row that is not there (a null key)
    leaves the rest of the way unread.
    """

    def __init__(
        self,
        model: type[Model],
        by: Sequence[str],
        *,
        fields: Sequence[str] = (),
        related: str = "",
        related_fields: Sequence[str] = (),
    ) -> None:
        self.model, self.by, self.fields, self.related = model, tuple(by), tuple(fields), related
        self.related_fields = tuple(related_fields)
        self._prepared: dict[str, Any] = {}

    def _prepare(self, connection: BaseDatabaseWrapper) -> Any:
        meta, quote = self.model._meta, connection.ops.quote_name
        table = meta.db_table
        fields = [f for f in meta.concrete_fields if not self.fields or f.name in self.fields]
        columns = [f"{quote(table)}.{quote(f.column)}" for f in fields]
        converters = _converters(fields, table, connection)
        joins, hops = [], []
        hop_names = self.related.split("__") if self.related else []
        if len(hop_names) > 1 and self.related_fields:
            raise ValueError("related_fields limits one foreign key, not a way through several")
        owner, owner_alias, outer = self.model, table, False
        for number, name in enumerate(hop_names):
            key = owner._meta.get_field(name)
            target = key.related_model
            wanted = self.related_fields
            read = [
                f
                for f in target._meta.concrete_fields  # type: ignore[union-attr]
                if not wanted or f.name in wanted or f is key.target_field  # type: ignore[union-attr]
            ]
            alias = "r" if number == 0 else f"r{number}"
            start = len(columns)
            columns += [f"{quote(alias)}.{quote(f.column)}" for f in read]
            outer = outer or key.null  # after a row that may be missing, every join is outer
            kind = "LEFT OUTER JOIN" if outer else "INNER JOIN"
            joins.append(
                f" {kind} {quote(target._meta.db_table)} {quote(alias)} ON "  # type: ignore[union-attr]
                f"{quote(alias)}.{quote(key.target_field.column)} = "  # type: ignore[union-attr]
                f"{quote(owner_alias)}.{quote(key.column)}"  # type: ignore[union-attr]
            )
            converters += [
                (start + index, column, functions)
                for index, column, functions in _converters(read, alias, connection)
            ]
            hops.append((key, read, start))
            owner, owner_alias = target, alias  # type: ignore[assignment]
        where, by_fields = _conditions(self.model, self.by, connection, table)
        matchers = [_matcher(f, connection) for f in by_fields]
        # Names come from the models; every value is a parameter.
        source = f"{quote(table)}{''.join(joins)}"
        sql = f"SELECT {', '.join(columns)} FROM {source} WHERE {where} LIMIT 1"  # noqa: S608
        prepared = (sql, matchers, fields, hops, converters)
        self._prepared[connection.alias] = prepared
        return prepared

    def first(self, *values: Any, using: str | None = None) -> Any:
        using = using or router.db_for_read(self.model)
        connection = connections[using]
        sql, matchers, fields, hops, converters = self._prepared.get(using) or self._prepare(
            connection
        )
        cursor = direct.execute(connection, sql, _params(matchers, values))
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
        if row is None:
            return None
        row = list(row)
        for index, column, functions in converters:
            for convert in functions:
                row[index] = convert(row[index], column, connection)
        count = len(fields)
        instance = self.model.from_db(using, [f.attname for f in fields], row[:count])
        owner = instance
        for key, read, start in hops:
            found = None
            if row[start + read.index(key.target_field)] is not None:
                names = [f.attname for f in read]
                found = key.related_model.from_db(using, names, row[start : start + len(read)])
            key.set_cached_value(owner, found)
            if found is None:
                break
            owner = found
        return instance


class Updater:
    """UPDATE ``model`` SET ``fields`` where each of ``by`` equals its value.

    :meth:`run` returns the primary keys of the rows changed, in the same
    statement where the database can say (``RETURNING``: PostgreSQL, SQLite
    3.35 and newer), else with a second one. The update locks the rows it
    changes (on SQLite: takes the write lock).
    """

    def __init__(self, model: type[Model], fields: Sequence[str], by: Sequence[str]) -> None:
        self.model, self.fields, self.by = model, tuple(fields), tuple(by)
        self._prepared: dict[str, Any] = {}

    def _prepare(self, connection: BaseDatabaseWrapper) -> Any:
        meta, quote = self.model._meta, connection.ops.quote_name
        table = meta.db_table
        fields = [meta.get_field(name) for name in self.fields]
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)  # type: ignore[union-attr]
        where, by_fields = _conditions(self.model, self.by, connection, table)
        matchers = [_matcher(f, connection) for f in by_fields]
        pk = f"{quote(table)}.{quote(meta.pk.column)}"  # type: ignore[union-attr]
        # Names come from the model; every value is a parameter.
        update = f"UPDATE {quote(table)} SET {assignments} WHERE {where}"  # noqa: S608
        savers = [(f.name, _saver(f, connection)) for f in fields]  # type: ignore[arg-type]
        if connection.features.can_return_columns_from_insert:
            prepared = (f"{update} RETURNING {pk}", None, savers, matchers)
        else:
            select = f"SELECT {pk} FROM {quote(table)} WHERE {where}"  # noqa: S608
            prepared = (update, select, savers, matchers)
        self._prepared[connection.alias] = prepared
        return prepared

    def run(
        self, values: Mapping[str, Any], *by_values: Any, using: str | None = None
    ) -> list[Any]:
        using = using or router.db_for_write(self.model)
        connection = connections[using]
        update, select, savers, matchers = self._prepared.get(using) or self._prepare(connection)
        where = _params(matchers, by_values)
        assigned = [save(values[name]) for name, save in savers]
        cursor = direct.execute(connection, update, assigned + where)
        try:
            if select is not None:
                if not cursor.rowcount:
                    return []
                cursor.close()
                cursor = direct.execute(connection, select, where)
            return [row[0] for row in cursor.fetchall()]
        finally:
            cursor.close()


class Inserter:
    """INSERT one new instance of ``model`` (every field but an automatic primary key).

    Each value is the field's ``pre_save`` (defaults, ``auto_now``) prepared for
    the database; the new primary key is set on the instance, which counts as
    saved afterwards. No model signals are sent.
    """

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self._prepared: dict[str, Any] = {}

    def _prepare(self, connection: BaseDatabaseWrapper) -> Any:
        meta, quote = self.model._meta, connection.ops.quote_name
        fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
        columns = ", ".join(quote(f.column) for f in fields)
        values = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608
        returning = connection.features.can_return_columns_from_insert
        if returning:
            sql += f" RETURNING {quote(meta.pk.column)}"  # type: ignore[union-attr]
        prepared = (sql, [(f, _saver(f, connection)) for f in fields], returning)
        self._prepared[connection.alias] = prepared
        return prepared

    def insert(self, instance: Model, using: str | None = None) -> Model:
        using = using or router.db_for_write(self.model, instance=instance)
        connection = connections[using]
        sql, savers, returning = self._prepared.get(using) or self._prepare(connection)
        params = [save(f.pre_save(instance, True)) for f, save in savers]
        meta = self.model._meta
        cursor = direct.execute(connection, sql, params)
        try:
            if meta.auto_field is not None:
                if returning:
                    pk = cursor.fetchone()[0]
                else:
                    pk = connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)  # type: ignore[union-attr]
                setattr(instance, meta.auto_field.attname, pk)
        finally:
            cursor.close()
        instance._state.adding = False
        instance._state.db = using
        return instance
