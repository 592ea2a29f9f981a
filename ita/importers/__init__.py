"""Importing ITAS results: parse.py (bytes → rows), columns.py (headers → fields), paste.py (pasted text).

These modules are pure Python without Django so that they can be tested without a database; the
loading into the database lives beside them and is the only part that touches the ORM.
"""
