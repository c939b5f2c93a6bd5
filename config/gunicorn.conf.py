"""gunicorn settings for Wayfinder: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

The environment sets the rest (``GUNICORN_BIND``, ``WEB_CONCURRENCY``). gunicorn has no setting
for its ``Server`` header, which names the product and version ("gunicorn/27.0.1"); this file,
read by the master before it forks any worker, empties it for HTTP/1 and HTTP/2 alike.
"""

import os

import gunicorn.http.wsgi as _wsgi

_wsgi.SERVER = ""  # the Server header value (HTTP/1 and HTTP/2 responses read it)
_wsgi.SERVER_SOFTWARE = ""  # the WSGI environ's SERVER_SOFTWARE

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# Each worker keeps its own database connection (DB_CONN_MAX_AGE); threads would multiply them.
threads = 1
accesslog = "-"
# No query strings in the access log: `%(U)s` is the path only (ids are UUIDs, never names).
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
