"""How an import job reads on the pages: Thai digits, counts with separators, durations in words.

The job stores plain JSON (Arabic digits, codes); everything here only formats it for people.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from ita.importers.jobs import Progress
from ita.importers.parse import column_letter
from ita.models import ImportBatch, ImportJob
from ita.thai import format_number, thai_date, to_thai_digits

ERRORS_SHOWN = 500


def count(value: int | None) -> str:
    """12345 → "๑๒,๓๔๕"."""
    return format_number(f"{value or 0:,}")


def duration(seconds: int) -> str:
    """A time left in words: "๔๕ วินาที", "๓ นาที ๕ วินาที", "๑ ชั่วโมง ๒๐ นาที"."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{format_number(hours)} ชั่วโมง {format_number(minutes)} นาที"
    if minutes:
        return f"{format_number(minutes)} นาที {format_number(secs)} วินาที"
    return f"{format_number(secs)} วินาที"


def progress_text(progress: Progress) -> str:
    """One line under the progress bar: rows done of total, rows per second, time left."""
    if not progress.rows_total:
        return "กำลังอ่านไฟล์…"
    parts = [f"ทำแล้ว {count(progress.rows_done)} จาก {count(progress.rows_total)} แถว"]
    if progress.rows_per_second:
        parts.append(f"{count(round(progress.rows_per_second))} แถวต่อวินาที")
    if progress.seconds_left is not None and progress.rows_done < progress.rows_total:
        parts.append(f"เหลืออีกประมาณ {duration(progress.seconds_left)}")
    return " · ".join(parts)


def when(moment: datetime.datetime | None) -> str:
    """A moment in local time with a พ.ศ. year: "๘ มิถุนายน ๒๕๖๖ ๑๔:๐๕ น."."""
    if moment is None:
        return "–"
    local = timezone.localtime(moment)
    return f"{thai_date(local.date())} {format_number(local.strftime('%H:%M'))} น."


def job_summary(job: ImportJob) -> dict:
    """A row of the job list."""
    user = job.created_by
    return {
        "pk": job.pk,
        "filename": job.filename,
        "year": format_number(job.fiscal_year) if job.fiscal_year else "",
        "status": job.status,
        "status_label": job.get_status_display(),
        "organization": job.organization.name if job.organization_id else "",
        "created_by": (user.get_full_name() or user.get_username()) if user else "",
        "created_at": when(job.created_at),
        "rows": count(job.rows_total) if job.rows_total else "–",
    }


def _value(text: str | None) -> str:
    return to_thai_digits(text) if text is not None else "–"


def preview_tables(preview: dict) -> dict:
    """The stored preview with its numbers in Thai digits, ready for the template."""
    if not preview or "rows" not in preview:
        return {}
    counts = (
        "rows", "organizations_new", "assessments_to_create", "assessments_to_change",
        "values_created", "values_changed", "values_unchanged",
    )  # fmt: skip
    shown = {name: count(preview.get(name)) for name in counts}
    shown["has_changes"] = bool(preview.get("values_created") or preview.get("values_changed"))
    shown["new_organizations"] = preview.get("new_organizations", [])
    shown["more_organizations"] = preview.get("organizations_new", 0) > len(shown["new_organizations"])
    shown["changes"] = [
        {
            "org_code": change["org_code"],
            "year": format_number(change["fiscal_year"]),
            "label": change["label"],
            "old": _value(change["old"]),
            "new": _value(change["new"]),
        }
        for change in preview.get("changes", [])
    ]
    shown["sampled"] = preview.get("sampled", False)
    shown["sample_size"] = count(len(shown["changes"]))
    if "understood" in preview:
        shown["understood"] = [
            {"line": format_number(u["line"]), "label": u["label"], "value": _value(u["value"])}
            for u in preview["understood"]
        ]
        shown["unrecognised"] = [
            {"line": format_number(u["line"]), "text": u["text"], "reason": u["reason"]}
            for u in preview.get("unrecognised", [])
        ]
    return shown


def error_table(errors: list[dict], total: int = 0) -> dict:
    """The first ERRORS_SHOWN errors for the page; the CSV download has every stored one (the first ERRORS_KEPT).

    `total` counts every error found, stored or not (ImportJob.errors_total; 0 for jobs from before the cap).
    """
    total = max(total, len(errors))
    rows = [
        {
            "row": format_number(error["row"]) if error.get("row") else "–",
            "column": column_letter(error["column"]) if error.get("column") else "–",
            "value": error.get("value") or "",
            "message": error["message"],
        }
        for error in errors[:ERRORS_SHOWN]
    ]
    return {
        "rows": rows,
        "total": count(total),
        "shown": count(len(rows)),
        "stored": count(len(errors)),
        "truncated": len(errors) > ERRORS_SHOWN,
        "more": count(total - len(errors)) if total > len(errors) else "",
        "any": bool(total),
    }


def batch_summary(batch: ImportBatch | None) -> dict | None:
    """What a finished import wrote, from its ImportBatch (the record, not the preview)."""
    if batch is None:
        return None
    counted = (
        "rows", "organizations_created", "assessments_created", "assessments_changed",
        "values_created", "values_changed", "values_unchanged",
    )  # fmt: skip
    return {name: count(getattr(batch, name)) for name in counted} | {
        "number": format_number(batch.pk),
        "sha": batch.sha256[:12],
    }
