"""Bulk writing for legacy-system migration and demo data: many rows, one statement stream.

`copy_rows` streams rows into a table with PostgreSQL `COPY … FROM STDIN` (psycopg 3) and with
one prepared `executemany` INSERT elsewhere (SQLite). It never calls `save()`, sends no signals
and records no events: callers are the domain apps' `bulk.py` modules, which document that.

`reserve_ids` hands out primary keys before the rows are written, so child rows can name their
parents without reading ids back one row at a time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice
from operator import itemgetter
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router

BATCH = 5_000  # rows per executemany call on SQLite (bounded memory, few round trips)

Converter = Callable[[Any], Any]


_PLAIN_JSON = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
_DJANGO_JSON = DjangoJSONEncoder()


def _json_text(value: Any) -> Any:
    if value is None:
        return None
    if not value and isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    try:
        return _PLAIN_JSON.encode(value)
    except TypeError:  # dates, decimals, UUIDs: Django's encoder knows them
        return _DJANGO_JSON.encode(value)


def _converters(model: type[models.Model], fields: Sequence[str], vendor: str, ops: Any) -> list[
    Converter | None
]:
    """Per column, how a plain Python value becomes what the driver expects (None: as it is)."""
    found: list[Converter | None] = []
    for name in fields:
        field = model._meta.get_field(name)
        kind = field.get_internal_type()  # type: ignore[union-attr]
        if kind == "JSONField":
            found.append(_json_text)
        elif vendor == "sqlite" and kind == "DateTimeField":
            found.append(ops.adapt_datetimefield_value)
        elif vendor == "sqlite" and kind == "DateField":
            found.append(ops.adapt_datefield_value)
        else:
            found.append(None)
    return found


def column_names(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    """Database columns of model fields named by name or attname ("customer", "customer_id")."""
    return [str(model._meta.get_field(name).column) for name in fields]  # type: ignore[union-attr]


def _converted(rows: Iterable[Sequence[Any]], converters: list[Converter | None]) -> Iterator[
    tuple[Any, ...]
]:
    if not any(converters):
        for row in rows:
            yield tuple(row)
        return
    pairs = list(enumerate(converters))
    for row in rows:
        values = list(row)
        for position, convert in pairs:
            if convert is not None and values[position] is not None:
                values[position] = convert(values[position])
        yield tuple(values)


def copy_rows(
    model: type[models.Model], fields: list[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write `rows` (tuples in `fields` order) into `model`'s table; returns how many.

    PostgreSQL: one `COPY (cols) FROM STDIN`; SQLite and others: batched executemany INSERT.
    Values are plain Python (aware datetimes, dates, lists/dicts for JSON fields). Runs in the
    caller's transaction; wrap the whole import in `transaction.atomic()` for all-or-nothing.
    """
    alias = router.db_for_write(model)
    connection = connections[alias]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in column_names(model, fields))
    values = _converted(rows, _converters(model, fields, connection.vendor, connection.ops))
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
                    written += 1
            return written
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        while batch := list(islice(values, BATCH)):
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def copy_dicts(
    model: type[models.Model],
    fields: list[str],
    rows: Iterable[Mapping[str, Any]],
    defaults: Mapping[str, Any] | None = None,
) -> int:
    """`copy_rows` for rows given as mappings; a key missing from a row takes `defaults[key]`."""
    fallback = {f: v for f, v in (defaults or {}).items() if f in fields}
    required = frozenset(f for f in fields if f not in fallback)
    pick = itemgetter(*fields)

    def as_tuples() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            if not required <= row.keys():
                absent = sorted(required - row.keys())
                raise KeyError(f"{model.__name__} row lacks {', '.join(absent)}")
            value = pick({**fallback, **row})
            yield value if len(fields) > 1 else (value,)

    return copy_rows(model, fields, as_tuples())


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys no other writer will be given, ascending, for rows written later.

    PostgreSQL: drawn from the table's own sequence (`nextval` over `generate_series`), so
    concurrent inserts stay safe. SQLite: the next ids after the highest used; SQLite allows
    one writer at a time, so call this inside the transaction that writes the rows (ids
    handed out in this process and not yet written are remembered and skipped).
    """
    if count <= 0:
        return []
    alias = router.db_for_write(model)
    connection = connections[alias]
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), pk.column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute(
            f"SELECT COALESCE(MAX({connection.ops.quote_name(pk.column)}), 0) "
            f"FROM {connection.ops.quote_name(table)}"
        )
        highest = int(cursor.fetchone()[0])  # type: ignore[index]
        if connection.vendor == "sqlite":
            # AUTOINCREMENT never reuses an id, even one whose row was deleted.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            if row is not None:
                highest = max(highest, int(row[0]))
        # Ids handed out but not yet written must not be handed out twice.
        key = (alias, table)
        highest = max(highest, _handed_out.get(key, 0))
        _handed_out[key] = highest + count
        return list(range(highest + 1, highest + 1 + count))


_handed_out: dict[tuple[str, str], int] = {}



def field_defaults(model: type[models.Model]) -> tuple[list[str], dict[str, Any]]:
    """(every concrete column's attname, the value used when a row leaves it out).

    A field with a default takes it, a nullable one None, a blank text field ""; any other
    field is required (a row without it raises KeyError naming it).
    """
    fields: list[str] = []
    defaults: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        fields.append(field.attname)
        if field.has_default():
            defaults[field.attname] = field.get_default()
        elif field.null:
            defaults[field.attname] = None
        elif field.blank and field.empty_strings_allowed:
            defaults[field.attname] = ""  # what Django itself saves for a blank text field
    return fields, defaults


def import_mappings(model: type[models.Model], rows: Iterable[Mapping[str, Any]]) -> int:
    """Write rows given as {attname: value} into every column of `model` (defaults filled in).

    Rows that carry no primary key get one from the database (decided by the first row).
    """
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    fields, defaults = field_defaults(model)
    pk = model._meta.pk
    if pk is not None and pk.attname not in first:
        fields.remove(pk.attname)
    return copy_dicts(model, fields, chain([first], iterator), defaults)
