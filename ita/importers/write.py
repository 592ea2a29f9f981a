"""Writing an import's Score rows and their history, inside the caller's transaction.

load.apply_import decides in Python, the same way on every backend, which values are new and which
replace a stored one (a list of ScoreWrite); this module only puts them in the database:

- the Django ORM path (SQLite, and any backend without psycopg2's COPY): bulk_create / bulk_update
  in chunks, and one bulk_create of ScoreRevision rows built from the rows being replaced;
- PostgreSQL with psycopg2: the rows are COPY'd into a temporary table, then one INSERT … SELECT
  copies every replaced row into the history (locking it), and chunked INSERT … ON CONFLICT
  statements write the values. Both run in the caller's transaction, so all or nothing still holds.

Either way a value equal to the stored one writes nothing, and progress is reported per chunk.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import F

from ita.grading.assess import GRADE_FIELDS
from ita.models import Assessment, Score, ScoreRevision, ValueSource

# Rows per bulk statement on the ORM path, and per COPY / upsert statement on PostgreSQL: small
# enough for a progress bar that moves, large enough that statement overhead stays negligible.
ORM_CHUNK = 2_000
COPY_CHUNK = 100_000
STAGE_TABLE = "ita_import_stage"
COPY_NULL = "\\N"
SCORE_FIELDS = ["value", "source", "entered_by", "batch", "updated_at"]
ASSESSMENT_FIELDS = ["official_overall", "official_level", *GRADE_FIELDS, "updated_by", "updated_at"]
# Tests switch COPY off to run the ORM path on PostgreSQL too.
USE_COPY = True

# on_chunk(done): values written so far.
OnChunk = Callable[[int], None]


class ScoreWrite(NamedTuple):
    """One value to store; replaces is the id of the stored row it overwrites (None for a new value)."""

    assessment_id: int
    kind: str
    code: str
    value: Decimal
    replaces: int | None


def write_scores(writes: Sequence[ScoreWrite], *, batch, user, now, on_chunk: OnChunk) -> int:
    """Store the values with source "import" and this batch; returns how many history rows were written."""
    if not writes:
        return 0
    if copy_available():
        return _write_with_copy(writes, batch=batch, user=user, now=now, on_chunk=on_chunk)
    return _write_with_orm(writes, batch=batch, user=user, now=now, on_chunk=on_chunk)


def save_assessments(assessments: Sequence[Assessment]) -> None:
    """Save official and computed results (ASSESSMENT_FIELDS) of regraded assessments and move their versions on."""
    if not assessments:
        return
    if copy_available():
        _save_assessments_with_values(assessments)
        return
    for assessment in assessments:
        # A form opened before the import must see that the assessment changed under it (ita.forms).
        assessment.version = F("version") + 1
    Assessment.objects.bulk_update(assessments, [*ASSESSMENT_FIELDS, "version"])


def copy_available() -> bool:
    """True on PostgreSQL through psycopg2, whose cursors have copy_expert."""
    return USE_COPY and connection.vendor == "postgresql" and connection.Database.__name__.startswith("psycopg2")


def _chunks(rows: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


# --- the ORM path -------------------------------------------------------------------------------


def _write_with_orm(writes: Sequence[ScoreWrite], *, batch, user, now, on_chunk: OnChunk) -> int:
    revisions = _revisions_of([write for write in writes if write.replaces is not None], batch, user, now)
    # The history is read before any value changes, and written in one bulk statement (batched).
    ScoreRevision.objects.bulk_create(revisions, batch_size=1000)
    done = 0
    common = {"source": ValueSource.IMPORT, "entered_by": user, "batch": batch, "updated_at": now}
    for chunk in _chunks(writes, ORM_CHUNK):
        new = [
            Score(assessment_id=w.assessment_id, kind=w.kind, code=w.code, value=w.value, **common)
            for w in chunk
            if w.replaces is None
        ]
        changed = [Score(pk=w.replaces, value=w.value, **common) for w in chunk if w.replaces is not None]
        Score.objects.bulk_create(new)
        # bulk_update skips auto_now, hence updated_at among the fields.
        Score.objects.bulk_update(changed, SCORE_FIELDS)
        done += len(chunk)
        on_chunk(done)
    return len(revisions)


def _revisions_of(replacing: Sequence[ScoreWrite], batch, user, now) -> list[ScoreRevision]:
    """A history row for each stored value about to be replaced, read in chunks (never row by row)."""
    new_values = {write.replaces: write.value for write in replacing}
    revisions = []
    for chunk in _chunks(sorted(new_values), 500):
        rows = (
            Score.objects.filter(pk__in=chunk)
            .order_by()
            .values_list(
                "pk", "assessment_id", "kind", "code", "value", "source", "entered_by_id", "batch_id", "updated_at"
            )
        )
        for pk, assessment_id, kind, code, value, source, entered_by_id, batch_id, updated_at in rows:
            if value == new_values[pk]:
                continue
            revisions.append(
                ScoreRevision(
                    assessment_id=assessment_id,
                    kind=kind,
                    code=code,
                    old_value=value,
                    old_source=source,
                    old_entered_by_id=entered_by_id,
                    old_batch_id=batch_id,
                    old_updated_at=updated_at,
                    new_value=new_values[pk],
                    new_source=ValueSource.IMPORT,
                    changed_by=user,
                    batch=batch,
                    changed_at=now,
                )
            )
    return revisions


# --- the PostgreSQL COPY path -------------------------------------------------------------------


def _write_with_copy(writes: Sequence[ScoreWrite], *, batch, user, now, on_chunk: OnChunk) -> int:
    new = [write for write in writes if write.replaces is None]
    replacing = [write for write in writes if write.replaces is not None]
    # Every row gets the same provenance, in COPY's text format (\N is NULL).
    user_text = COPY_NULL if user is None else str(user.pk)
    common = f"{ValueSource.IMPORT}\t{user_text}\t{batch.pk}\t{now.isoformat()}\n"
    score = connection.ops.quote_name(Score._meta.db_table)
    columns = "assessment_id, kind, code, value, source, entered_by_id, batch_id, updated_at"
    # psycopg2's own methods (COPY, execute_values) bypass Django's wrapping of database errors: restore it.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # New values go straight into the table: the caller has locked their assessments and seen that
        # no such value is stored, and should one appear anyway the unique index refuses the COPY and
        # the whole import rolls back. Only replaced values need the staging table and the history.
        for start in range(0, len(new), COPY_CHUNK):
            cursor.copy_expert(f"COPY {score} ({columns}) FROM STDIN", _tsv(new[start : start + COPY_CHUNK], common))
            on_chunk(min(start + COPY_CHUNK, len(new)))
        if not replacing:
            return 0
        return _replace_with_copy(
            cursor, replacing, batch=batch, user=user, now=now, on_chunk=lambda done: on_chunk(len(new) + done)
        )


def _replace_with_copy(cursor, writes: Sequence[ScoreWrite], *, batch, user, now, on_chunk: OnChunk) -> int:
    """Stage replacing values, copy the rows they replace into the history, then upsert them in chunks."""
    quote = connection.ops.quote_name
    score, revision = quote(Score._meta.db_table), quote(ScoreRevision._meta.db_table)
    user_id = getattr(user, "pk", None)
    # ON COMMIT DROP cleans up after a real transaction; the explicit DROPs cover a caller that
    # imports twice in one transaction (tests, or a command wrapping several files).
    cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{STAGE_TABLE}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGE_TABLE} (assessment_id bigint NOT NULL, kind varchar(9) NOT NULL, "
        "code varchar(8) NOT NULL, value numeric(5, 2) NOT NULL, n integer NOT NULL) ON COMMIT DROP"
    )
    for start in range(0, len(writes), COPY_CHUNK):
        numbers = range(start, start + COPY_CHUNK)
        rows = writes[start : start + COPY_CHUNK]
        cursor.copy_expert(f"COPY {STAGE_TABLE} FROM STDIN", _tsv(rows, [f"{n}\n" for n in numbers]))
    # Joined on the natural key, not on the id seen earlier: the history names whatever row is
    # stored now, and FOR UPDATE keeps it from changing before the upsert below replaces it.
    cursor.execute(
        f"INSERT INTO {revision} (assessment_id, kind, code, old_value, old_source, old_entered_by_id, "  # noqa: S608
        "old_batch_id, old_updated_at, new_value, new_source, changed_by_id, batch_id, changed_at) "
        "SELECT s.assessment_id, s.kind, s.code, s.value, s.source, s.entered_by_id, s.batch_id, "
        f"s.updated_at, t.value, %s, %s, %s, %s FROM {STAGE_TABLE} t JOIN {score} s "
        "ON s.assessment_id = t.assessment_id AND s.kind = t.kind AND s.code = t.code "
        "WHERE s.value <> t.value FOR UPDATE OF s",
        [ValueSource.IMPORT, user_id, batch.pk, now],
    )
    revisions = cursor.rowcount
    for start in range(0, len(writes), COPY_CHUNK):
        cursor.execute(
            f"INSERT INTO {score} (assessment_id, kind, code, value, source, entered_by_id, batch_id, "  # noqa: S608
            f"updated_at) SELECT assessment_id, kind, code, value, %s, %s, %s, %s FROM {STAGE_TABLE} "
            "WHERE n >= %s AND n < %s ON CONFLICT (assessment_id, kind, code) DO UPDATE SET "
            "value = EXCLUDED.value, source = EXCLUDED.source, entered_by_id = EXCLUDED.entered_by_id, "
            f"batch_id = EXCLUDED.batch_id, updated_at = EXCLUDED.updated_at WHERE {score}.value <> EXCLUDED.value",
            [ValueSource.IMPORT, user_id, batch.pk, now, start, start + COPY_CHUNK],
        )
        on_chunk(min(start + COPY_CHUNK, len(writes)))
    cursor.execute(f"DROP TABLE pg_temp.{STAGE_TABLE}")
    return revisions


def _tsv(writes: Sequence[ScoreWrite], tail: str | Sequence[str]) -> io.StringIO:
    """The rows in COPY's text format, each ended by tail (the same for all, or one per row).

    Kinds and codes are validated against the framework before anything is planned (letters and
    digits only), so nothing here needs COPY escaping.
    """
    texts: dict[Decimal, str] = {}
    lines = []
    for index, write in enumerate(writes):
        text = texts.get(write.value)
        if text is None:
            text = texts[write.value] = format(write.value, "f")
        end = tail if isinstance(tail, str) else tail[index]
        lines.append(f"{write.assessment_id}\t{write.kind}\t{write.code}\t{text}\t{end}")
    return io.StringIO("".join(lines))


def _save_assessments_with_values(assessments: Sequence[Assessment]) -> None:
    """One UPDATE … FROM (VALUES …) per page: bulk_update's CASE per field and row costs seconds per thousand."""
    from psycopg2.extras import execute_values

    table = connection.ops.quote_name(Assessment._meta.db_table)
    fields = [Assessment._meta.pk, *(Assessment._meta.get_field(name) for name in ASSESSMENT_FIELDS)]
    columns = [field.column for field in fields]
    template = "(" + ", ".join(f"%s::{field.cast_db_type(connection)}" for field in fields) + ")"
    assignments = ", ".join(f"{column} = v.{column}" for column in columns[1:])
    rows = [tuple(getattr(assessment, field.attname) for field in fields) for assessment in assessments]
    with connection.cursor() as cursor, connection.wrap_database_errors:
        execute_values(
            cursor.cursor,  # psycopg2's own cursor: execute_values pages the rows itself
            f"UPDATE {table} AS a SET {assignments}, version = a.version + 1 "  # noqa: S608
            f"FROM (VALUES %s) AS v({', '.join(columns)}) WHERE a.{columns[0]} = v.{columns[0]}",
            rows,
            template=template,
            page_size=1000,
        )
