"""The PDF renderer, WeasyPrint, which needs the system's Pango: loaded on first use, never at start-up.

The site serves every page without Pango (a developer machine, a web container built without it):
only making a PDF needs it, and then `render_pdf` refuses with a Thai message that the renderer is
not installed, which the document's status page shows. `/healthz` reports it (see settings
HEALTH_OPTIONAL_CHECKS).
"""

from __future__ import annotations

import functools

from reports.pdf.errors import MESSAGE_NO_RENDERER, RendererMissing


@functools.cache
def renderer_missing() -> str:
    """Why PDFs cannot be made here ('' when they can): WeasyPrint loads Pango when it is imported."""
    try:
        import weasyprint  # noqa: F401 - the import itself is the check
    except (ImportError, OSError) as error:
        return f"{error.__class__.__name__}: {error}"
    return ""


def health_problem() -> str | None:
    """For /healthz: the PDF renderer, when it is missing (an optional part: the site runs without it)."""
    missing = renderer_missing()
    return f"pdf: {missing}" if missing else None


def render_pdf(html: str, **options) -> bytes:
    """reports.pdf.render.render_pdf, imported on first use; RendererMissing when WeasyPrint cannot load."""
    if renderer_missing():
        raise RendererMissing(str(MESSAGE_NO_RENDERER))
    from reports.pdf.render import render_pdf as render

    return render(html, **options)
