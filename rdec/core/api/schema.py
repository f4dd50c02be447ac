"""drf-spectacular: the description of the API-key authentication, and a schema for report routes."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "rdec.core.api.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Authorization: Api-Key <key>",
        }


ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "properties": {
            "detail": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {}},
                "description": "field name → messages, in the request's language (zh-Hant by default)",
            },
        },
        "required": ["detail", "errors"],
    },
}

ERROR_RESPONSES = {
    "400": ("ValidationError", "The input is not valid; `errors` says what to fix, field by field."),
    "401": ("Error", "Not signed in, or the API key is invalid, revoked or expired."),
    "403": ("Error", "Signed in, but not allowed."),
    "404": ("Error", "No such record."),
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the platform's error answers."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, (schema, description) in ERROR_RESPONSES.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}
                        },
                    },
                )
    return result


class ObjectSchema(AutoSchema):
    """For a viewset whose list route answers one object ({"results": [...]}, a report) rather than
    an array: `schema = ObjectSchema()`."""

    def _is_list_view(self, serializer=None) -> bool:
        return False
