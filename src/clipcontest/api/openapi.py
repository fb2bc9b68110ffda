"""The API object and its OpenAPI schema, kept true to what the API answers.

Every refusal has one shape, ``ErrorOut`` (``{"code": …, "messages": [...]}``): domain
errors, missing permission, unknown objects, bad input (422), a failed CSRF check,
missing authentication and throttling alike (see ``errors.py``). Since those answers
come from shared exception handlers rather than from each endpoint, the statuses are
added to every operation here, by rule, instead of being repeated on 67 decorators:

- 401 on operations that need a signed-in caller;
- 400, 403 and 429 on every operation (domain refusals, permissions, rate limits);
- 404 and 422 where anything is read from the path, the query or the body (it may
  name an object that does not exist, or be malformed); 409 on writes.

Endpoints open to visitors (``auth=ANYONE``) list ``{}`` among their security
requirements: OpenAPI's way of saying that none is required.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.operation import Operation

from .auth import Anonymous
from .schemas import ErrorOut

ERROR_DESCRIPTIONS = {
    400: "Refused by a rule of the domain (code `invalid` or a more precise one).",
    401: "Not signed in: send `Authorization: Bearer <token>` or a session cookie.",
    403: "Not allowed (code `forbidden`), or the CSRF check failed (code `csrf_failed`).",
    404: "No such object, or not visible to the caller (code `not_found`).",
    409: "The object's state does not allow it now (code `conflict`).",
    422: "Malformed input: a parameter or a field of the body (code `invalid_input`).",
    429: "Too many requests (code `rate_limited`); `Retry-After` says when to retry.",
}
WRITES = {"post", "put", "patch", "delete"}


def error_statuses(*, method: str, reads_input: bool, signed_in: bool) -> list[int]:
    """The refusals an operation can answer with, by the rules in the module docstring."""
    statuses = {400, 403, 429}
    if signed_in:
        statuses.add(401)
    if reads_input:
        statuses.update({404, 422})
    if method in WRITES:
        statuses.add(409)
    return sorted(statuses)


def is_public(operation: Operation) -> bool:
    return any(isinstance(auth, Anonymous) for auth in operation.auth_callbacks)


class TruthfulSchema(OpenAPISchema):
    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        security = super().operation_security(operation)
        if security and is_public(operation):
            security.append({})
        return security

    def methods(self, operations: list[Any]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for operation in operations:
            if not operation.include_in_schema:
                continue
            found = self.operation_details(operation)
            for method in operation.methods:
                details = dict(found)
                details["responses"] = {
                    **details["responses"],
                    **self.error_responses(operation, method.lower(), details),
                }
                result[method.lower()] = details
        return result

    def error_responses(
        self, operation: Operation, method: str, details: dict[str, Any]
    ) -> dict[int, Any]:
        self.schemas.setdefault(
            ErrorOut.__name__,
            ErrorOut.model_json_schema(ref_template=REF_TEMPLATE, mode="serialization"),
        )
        schema = {"$ref": REF_TEMPLATE.format(model=ErrorOut.__name__)}
        security = details.get("security") or []
        statuses = error_statuses(
            method=method,
            reads_input=bool(details.get("parameters") or details.get("requestBody")),
            signed_in=bool(security) and {} not in security,
        )
        return {
            status: {
                "description": ERROR_DESCRIPTIONS[status],
                "content": {self.api.renderer.media_type: {"schema": schema}},
            }
            for status in statuses
            if status not in operation.response_models
        }


class ClipcontestAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return TruthfulSchema(self, path_prefix)
