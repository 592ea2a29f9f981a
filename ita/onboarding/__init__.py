"""Onboarding the country: administrators import and export organisations, users and results in the admin.

Built on django-import-export (its upload → preview → confirm pages); ITAS score files keep their own
engine (ita.importers), which reads the wide one-row-per-organisation files at national scale.
"""
