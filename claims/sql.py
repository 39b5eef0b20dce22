"""Plain-SQL row statements for the few writes every source of every claim runs.

Building a statement through the ORM costs 0.5-0.7 ms of CPU here (filter, compile), against
about 0.1 ms for the same statement as text; discovery runs about ten of them per source, and
on a 2-core machine that is a tenth of its throughput (bench/README.md). Table and column
names come from the models and every value goes through its field's own conversion, so a
model change is still picked up; statements are cached per model and shape. Everything that
is not on that hot path uses the ORM.

Portable SQL only (PostgreSQL and SQLite >= 3.35): ON CONFLICT ... DO UPDATE, RETURNING.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from claims.models import Claim, ResearchCandidate, Source


def _field(model: type[Model], name: str) -> Field:
    return model._meta.get_field(name)  # a field's name or attname ("claim" or "claim_id")


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@cache
def _insert_fields(model: type[Model]) -> tuple[Field, ...]:
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key)


@cache
def _insert_sql(
    model: type[Model], conflict: tuple[str, ...], update: tuple[str, ...], vendor: str
) -> str:
    fields = _insert_fields(model)
    # Identifiers come from model metadata (quoted); values are always parameters.
    sql = (
        f"INSERT INTO {_quote(model._meta.db_table)} "  # noqa: S608
        f"({', '.join(_quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if conflict:
        targets = ", ".join(_quote(_field(model, name).column) for name in conflict)
        sets = ", ".join(
            f"{_quote(_field(model, name).column)} = EXCLUDED.{_quote(_field(model, name).column)}"
            for name in update
        )
        sql += f" ON CONFLICT ({targets}) DO UPDATE SET {sets}"
    return sql + f" RETURNING {_quote(model._meta.pk.column)}"


def _insert_params(model: type[Model], values: Mapping[str, Any]) -> list[Any]:
    """Every concrete column's value: given, else the field's default (as Model() would)."""
    given = {_field(model, name).name: value for name, value in values.items()}
    params = []
    for field in _insert_fields(model):
        if field.name in given:
            value = given[field.name]
            if hasattr(value, "pk"):
                value = value.pk
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        else:
            value = field.get_default()
        params.append(field.get_db_prep_save(value, connection))
    return params


def insert_row(
    model: type[Model],
    values: Mapping[str, Any],
    *,
    conflict: Iterable[str] = (),
    update: Iterable[str] = (),
) -> int:
    """Inserts one row and returns its primary key. With conflict (the fields of a unique
    constraint), an existing row gets the update fields' new values instead."""
    sql = _insert_sql(model, tuple(conflict), tuple(update), connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, _insert_params(model, values))
        return cursor.fetchone()[0]


def _where(model: type[Model], where: Mapping[str, Any]) -> tuple[str, list[Any]]:
    parts, params = [], []
    for name, value in where.items():
        field = _field(model, name)
        parts.append(f"{_quote(field.column)} = %s")
        params.append(field.get_db_prep_value(value, connection, prepared=False))
    return " AND ".join(parts), params


def update_rows(
    model: type[Model],
    where: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    unless: tuple[str, list[Any]] | None = None,
) -> int:
    """UPDATE ... SET values WHERE every `where` field equals its value; the number of rows.

    unless: an extra (sql, params) condition the rows must not meet.
    """
    sets, params = [], []
    for name, value in values.items():
        field = _field(model, name)
        sets.append(f"{_quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    condition, where_params = _where(model, where)
    table = _quote(model._meta.db_table)
    sql = f"UPDATE {table} SET {', '.join(sets)} WHERE {condition}"  # noqa: S608
    if unless is not None:
        sql += f" AND NOT ({unless[0]})"
        where_params += list(unless[1])
    with connection.cursor() as cursor:
        cursor.execute(sql, params + where_params)
        return cursor.rowcount


def first_row(
    model: type[Model], columns: Iterable[str], where: Mapping[str, Any], *, lock: bool = False
) -> tuple[Any, ...] | None:
    """The given columns of one row matching `where` (raw database values), or None.

    lock takes the row's lock until the transaction ends, where the database has row locks.
    """
    names = ", ".join(_quote(_field(model, name).column) for name in columns)
    condition, params = _where(model, where)
    table = _quote(model._meta.db_table)
    sql = f"SELECT {names} FROM {table} WHERE {condition} LIMIT 1"  # noqa: S608
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def column(model: type[Model], name: str) -> str:
    """The quoted column of a field, for an `unless` condition or a statement written here."""
    return _quote(_field(model, name).column)


# Fields whose database values need no conversion on PostgreSQL or SQLite, or only their
# field's own from_db_value (JSON arrives as text on both).
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "TextField",
        "URLField",
        "JSONField",
    }
)


def table(model: type[Model]) -> str:
    """The quoted table of a model, for a statement written here."""
    return _quote(model._meta.db_table)


def _loadable_fields(model: type[Model], names: Iterable[str]) -> list[Field]:
    fields = [_field(model, name) for name in names]
    odd = [f.name for f in fields if f.get_internal_type() not in _PLAIN_TYPES]
    if odd:
        raise ValueError(f"cannot load {', '.join(odd)} without the ORM's conversion")
    return fields


def load_instance(model: type[Model], names: Sequence[str], values: Sequence[Any]) -> Any:
    """A model instance with only these fields loaded from raw database values (the others
    load on access, as with QuerySet.only()). Only for text, numbers, foreign keys and JSON;
    anything else (dates, booleans) raises ValueError."""
    fields = _loadable_fields(model, names)
    converted = [
        f.from_db_value(v, None, connection) if hasattr(f, "from_db_value") else v
        for f, v in zip(fields, values, strict=True)
    ]
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


def first_instance(model: type[Model], names: Iterable[str], where: Mapping[str, Any]) -> Any:
    """One row as a model instance with only these fields loaded (see load_instance), or
    None."""
    fields = _loadable_fields(model, names)  # refuses before asking the database
    row = first_row(model, [f.attname for f in fields], where)
    if row is None:
        return None
    return load_instance(model, [f.name for f in fields], row)


# --- Statements of the hot path that are not plain inserts or updates -----------------------


def score_candidates(source_id: int, claim_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(found_via, provider, factcheck, claim id, claim text, claim features, source domain)
    of each candidate of this source among these claims: the score task's read (one statement;
    through the ORM its join cost about a quarter of the task's CPU, bench/README.md).
    """
    r, c, s = ResearchCandidate, Claim, Source
    placeholders = ", ".join(["%s"] * len(claim_ids))
    # Identifiers come from model metadata (quoted); values are always parameters.
    statement = (
        f"SELECT r.{column(r, 'found_via')}, r.{column(r, 'provider')}, "  # noqa: S608
        f"r.{column(r, 'factcheck')}, c.{column(c, 'id')}, "
        f"c.{column(c, 'text')}, c.{column(c, 'features')}, "
        f"s.{column(s, 'domain')} "
        f"FROM {table(r)} r "
        f"JOIN {table(c)} c ON c.{column(c, 'id')} = r.{column(r, 'claim')} "
        f"JOIN {table(s)} s ON s.{column(s, 'id')} = r.{column(r, 'source')} "
        f"WHERE r.{column(r, 'source')} = %s "
        f"AND r.{column(r, 'claim')} IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [source_id, *claim_ids])
        return cursor.fetchall()


def source_claim_fetch(
    source_id: int, *, now: Any, busy_since: Any, fresh_since: Any | None = None
) -> tuple[bool, Any]:
    """Marks the source fetching unless another fetch of it started after `busy_since`, or
    (with fresh_since) it was read successfully after `fresh_since`.

    Returns (taken, last_checked_at as stored): one statement, and the caller learns
    whether the source was ever checked without loading it again.
    """
    status, started = column(Source, "status"), column(Source, "fetch_started_at")
    checked = column(Source, "last_checked_at")
    adapt = connection.ops.adapt_datetimefield_value
    statement = (
        f"UPDATE {table(Source)} SET {status} = %s, {started} = %s "  # noqa: S608
        f"WHERE {column(Source, 'id')} = %s "
        f"AND NOT ({status} = %s AND {started} IS NOT NULL AND {started} > %s)"
    )
    params = [Source.Status.FETCHING, adapt(now), source_id, Source.Status.FETCHING]
    params.append(adapt(busy_since))
    if fresh_since is not None:
        statement += f" AND NOT ({status} = %s AND {checked} IS NOT NULL AND {checked} > %s)"
        params += [Source.Status.OK, adapt(fresh_since)]
    with connection.cursor() as cursor:
        cursor.execute(statement + f" RETURNING {checked}", params)
        row = cursor.fetchone()
    return (row is not None, row[0] if row else None)


def ping() -> None:
    """One round trip to the database (the health check)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


# --- Claim matching: candidates from the full-text index over the matching keys --------------


def match_candidates(
    model: type[Model], tsquery: str, *, exclude_article: int | None, limit: int
) -> list[tuple[int, str]]:
    """(id, text) of the claims or fact-checks whose matching keys meet the tsquery, those
    sharing most keys first (then, for claims, those with a verdict). PostgreSQL only: it
    reads the stored `match_vector` column and its GIN index (migration 0014_claim_matches)."""
    is_claim = model is Claim
    text = column(model, "text" if is_claim else "claim_text")
    vector = _quote("match_vector")
    params: list[Any] = [tsquery]
    where = f"{vector} @@ q"
    order = f"ts_rank({vector}, q) DESC"
    if is_claim:
        if exclude_article is not None:
            where += f" AND {column(model, 'article')} <> %s"
            params.append(exclude_article)
        verdicts = ", ".join(["%s"] * len(Claim.VERDICT_STATUSES))
        order += f", ({column(model, 'status')} IN ({verdicts})) DESC"
        params += list(Claim.VERDICT_STATUSES)
    # Identifiers come from model metadata (quoted); values are always parameters.
    statement = (
        f"SELECT {column(model, 'id')}, {text} "  # noqa: S608
        f"FROM {table(model)}, to_tsquery('simple'::regconfig, %s) q "
        f"WHERE {where} ORDER BY {order}, {column(model, 'id')} DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, limit])
        return cursor.fetchall()
