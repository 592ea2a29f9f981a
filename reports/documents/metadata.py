"""What a document's PDF says about itself: author, subject, keywords and dates (the <meta> of its HTML).

WeasyPrint turns <meta name="author">, "description", "keywords", "dcterms.created" and
"dcterms.modified" into the PDF's document information and XMP metadata; <html lang="th"> gives
/Lang. The values are plain strings in the document's context, so a published copy's frozen data
carries them too.
"""

from __future__ import annotations

from ita.thai import format_number
from measures.models import MeasurePlan


def _w3c(moment) -> str:
    return moment.replace(microsecond=0).isoformat() if moment else ""


def document_metadata(plan: MeasurePlan, *, subject: str, keywords: list[str], digits: str) -> dict:
    """Author (the organisation), subject, keywords, created (the plan) and modified (its last change of state)."""
    organization = plan.organization
    latest = max((moment for moment in (plan.updated_at, plan.approved_at, plan.published_at) if moment), default=None)
    year = f"ปีงบประมาณ {format_number(plan.fiscal_year, digits=digits)}"
    return {
        "author": organization.name,
        "subject": subject,
        "keywords": ", ".join(["ITA", *keywords, organization.name, year]),
        "created": _w3c(plan.created_at),
        "modified": _w3c(latest),
    }
