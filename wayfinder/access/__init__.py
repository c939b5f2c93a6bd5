"""The gate: every read of a person's data goes through ``wayfinder.access.gate``.

A plain package (not an app): it holds no models. It sits above the ``people`` and ``consent``
models and the grant reads in ``consent/grants.py``, and below every page, API and query that
reads a person.
"""
