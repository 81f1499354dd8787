"""Re-encrypt every encrypted value with the newest key of DYADE_FIELD_KEYS.

Partners and therapists may keep writing while this runs. A value is read as
stored (its ciphertext), re-encrypted, and written back only if the row still
holds that same ciphertext (``UPDATE ... WHERE pk = %s AND column = <what was
read>``), so a newer value written in between is never overwritten: the row is
skipped, counted, and read again in the next round. Every encryption of a text
gives a different ciphertext, so any write in between is seen, even of the same
words. Batches are small and each is one short transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from dyade import crypto
from dyade.audit.services import record

# Called with (model, field, pks) after a batch was read and before it is written;
# the tests use it to write in between, as a partner saving at that moment would.
between_read_and_write: Callable[[type[models.Model], models.Field[Any, Any], list[Any]], None]
between_read_and_write = lambda model, field, pks: None  # noqa: E731


@dataclass
class Column:
    rotated: int = 0
    skipped: int = 0  # changed between the read and the write, read again later
    left: list[Any] = field(default_factory=list)  # still changing after the last round


def _read(
    model: type[models.Model],
    fld: models.Field[Any, Any],
    pks: Iterable[Any] | None,
    after: Any,
    size: int,
) -> list[tuple[Any, str]]:
    rows = (
        model._base_manager.alias(_stored_raw=crypto.stored(fld))
        .exclude(_stored_raw="")
        .exclude(_stored_raw=None)
    )
    if pks is not None:
        rows = rows.filter(pk__in=list(pks))
    if after is not None:
        rows = rows.filter(pk__gt=after)
    return list(
        rows.order_by("pk")
        .annotate(_stored_text=crypto.stored(fld))
        .values_list("pk", "_stored_text")[:size]
    )


def _write(
    model: type[models.Model], fld: models.Field[Any, Any], rows: list[tuple[Any, str]]
) -> tuple[int, list[Any]]:
    """Write each row's rotated value where it still holds what was read; return the changed."""
    todo = [(pk, old, crypto.rotate(old)) for pk, old in rows if not crypto.on_newest_key(old)]
    if not todo:
        return 0, []
    between_read_and_write(model, fld, [pk for pk, _, _ in todo])
    rotated, changed = 0, []
    new_value = lambda token: models.Value(token, output_field=models.TextField())  # noqa: E731
    with transaction.atomic():
        for pk, old, new in todo:
            done = (
                model._base_manager.filter(pk=pk)
                .alias(_stored_raw=crypto.stored(fld))
                .filter(_stored_raw=old)
                .update(**{fld.name: new_value(new)})
            )
            if done:
                rotated += 1
            else:
                changed.append(pk)
    return rotated, changed


def rotate_column(
    model: type[models.Model], fld: models.Field[Any, Any], batch: int = 100, rounds: int = 5
) -> Column:
    result = Column()
    pending: list[Any] | None = None  # None: every row, the first time round
    for _ in range(rounds):
        changed: list[Any] = []
        after = None
        while True:
            rows = _read(model, fld, pending, after, batch)
            if not rows:
                break
            after = rows[-1][0]
            rotated, skipped = _write(model, fld, rows)
            result.rotated += rotated
            changed += skipped
        result.skipped += len(changed)
        if not changed:
            return result
        pending = changed
    result.left = pending or []
    return result


class Command(BaseCommand):
    help = "Re-encrypt stored free text with the newest field key (run after adding a key)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=100, help="rows per transaction")
        parser.add_argument(
            "--rounds",
            type=int,
            default=5,
            help="times to go back for rows that changed while being rotated",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1 or options["rounds"] < 1:
            raise CommandError("--batch and --rounds must be at least 1")
        total = skipped = 0
        left: list[str] = []
        for model, fld in crypto.encrypted_fields():
            try:
                column = rotate_column(model, fld, options["batch"], options["rounds"])
            except crypto.UnreadableText as exc:
                raise CommandError(
                    f"{model._meta.db_table}.{fld.column}: a value written "
                    f"{crypto.when(exc.written_at)} cannot be read with any configured "
                    "key; put the key of that time back in DYADE_FIELD_KEYS and run again"
                ) from exc
            self.stdout.write(
                f"{model._meta.label}.{fld.name}: {column.rotated} value(s) re-encrypted, "
                f"{column.skipped} changed while being read and went round again"
            )
            total += column.rotated
            skipped += column.skipped
            left += [f"{model._meta.label}.{fld.name} #{pk}" for pk in column.left]
        record(
            None,
            "audit.update",
            anonymous=True,
            detail=f"field keys rotated: {total} values, {skipped} read again",
        )
        if left:
            raise CommandError(
                "still changing after every round, run the command again: " + ", ".join(left)
            )
