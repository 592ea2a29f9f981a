"""The framework catalogues kept as fixture files (fixtures/frameworks/) and brought into the database.

files: the fixture files, loading the frameworks a database lacks and the crosswalk rows it lacks ·
rows: a file read as plain, checked rows · diff: a file's rows against stored rows, field by field
(pure) · edits: which stored rows a person changed or deleted (audit events, admin log entries) ·
sync: bringing stored frameworks up to date with their files without undoing an administrator's
corrections (`manage.py sync_frameworks`) · report: what that command prints.
"""
