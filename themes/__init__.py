"""The bundled themes, installed as the package `archivegen.themes` (see pyproject.toml).

This file lets importlib.resources find them in an editable install as well as in a wheel.
"""
