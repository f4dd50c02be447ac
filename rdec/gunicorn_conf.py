"""gunicorn's configuration for rdec: `gunicorn -c python:rdec.gunicorn_conf rdec.wsgi` (see
docs/operations.md). Options not set here come from the command line or GUNICORN_CMD_ARGS.

The access log carries no personal data: no query strings (a search, a caller's number), no
referrer (it has them too), and the tokens in tracking and rating links cut to four characters
(/petitions/track/eyJj…/), by RdecAccessLogger below. Error-log records go through the same
personal-data detector (core.pii) as Django's own logs.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from rdec.core.logmask import cut_tokens
from rdec.core.pii import mask_text

# The request line without its query string; no referrer; the time taken in seconds.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(L)s'
accesslog = "-"
logger_class = "rdec.gunicorn_conf.RdecAccessLogger"


class RdecAccessLogger(Logger):
    """gunicorn's logger with the personal-data-bearing atoms cut, whatever access_log_format is
    configured: %(r)s and %(U)s keep the path with tokens cut and no query string, %(q)s and
    %(f)s (query string, referrer) are empty."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = mask_text(cut_tokens(environ.get("PATH_INFO") or ""))
        atoms["U"] = path
        atoms["r"] = f"{atoms.get('m')} {path} {atoms.get('H')}"
        atoms["q"] = ""
        atoms["f"] = "-"
        return atoms

    def error(self, msg, *args, **kwargs):
        super().error(mask_text(str(msg % args if args else msg)), **kwargs)

    def warning(self, msg, *args, **kwargs):
        super().warning(mask_text(str(msg % args if args else msg)), **kwargs)

    def info(self, msg, *args, **kwargs):
        super().info(mask_text(str(msg % args if args else msg)), **kwargs)
