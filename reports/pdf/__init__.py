"""HTML → PDF: WeasyPrint behind a locked-down fetcher, with a text layer every reader reads (see render.py)."""
