"""The REST API's JSON parser, with limits (issue 13): a body larger than
DATA_UPLOAD_MAX_MEMORY_SIZE or nested deeper than `jsonlimits.MAX_DEPTH` is refused with 400 and
the reason, in the language of the request, before it is decoded. DRF's own JSONParser reads the
stream without either bound (a deeply nested body answered 500). Set as the default parser in
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from rdec.core import jsonlimits


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise ParseError(
                _("The request body is larger than %(size)s bytes; send less at a time.")
                % {"size": f"{limit:,}"}
            )
        try:
            return jsonlimits.loads(raw.decode(encoding), parse_constant=_reject_constant)
        except jsonlimits.JSONTooDeep:
            raise ParseError(
                _("The JSON body is nested more than %(depth)s levels deep.")
                % {"depth": jsonlimits.MAX_DEPTH}
            ) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(_("The request body is not valid JSON: %(error)s") % {"error": exc}) from None
