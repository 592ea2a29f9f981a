"""The framework catalogues kept as fixture files (fixtures/frameworks/) and brought into the database.

files: the fixture files, loading the frameworks a database lacks and the crosswalk rows it lacks.
"""
