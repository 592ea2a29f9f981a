"""The OIT evidence checklist: its page, paste box, copy-out and carry-forward (models in ita.models.oit)."""
