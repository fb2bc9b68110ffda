"""The input boundary: a request whose path, query string, form fields or JSON strings
break the text rule (``core/text.py``) is answered 400 (422 for a JSON body) with a
message naming the field, before any view runs.

Views, forms and schemas then never see NUL bytes, control characters or lone
surrogates (which PostgreSQL refuses with a server error), nor oversized values.
Field-specific rules (names without bidi overrides, titles with visible characters,
narrower limits) stay with the form fields and schema types of ``core/textfields.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import text
from .textfields import message

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string in a decoded JSON document (keys too), with its dotted location."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            location = f"{where}.{key}" if where else str(key)
            yield location, str(key)
            yield from _strings(item, location)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


def _check(pairs: Iterator[tuple[str, str]], *, max_length: int, multiline: bool) -> str | None:
    for field, value in pairs:
        found = text.problem(value, max_length=max_length, multiline=multiline)
        if found is not None:
            # The field name itself may be the culprit: show it cleaned.
            shown = text.clean_filename(field, max_length=60) or "?"
            return _("“%(field)s”: %(problem)s") % {
                "field": shown,
                "problem": message(found, max_length=max_length),
            }
    return None


def _query_pairs(request: HttpRequest) -> Iterator[tuple[str, str]]:
    for key, values in request.GET.lists():
        yield key, key
        for value in values:
            yield key, value


def _form_pairs(request: HttpRequest) -> Iterator[tuple[str, str]]:
    for key, values in request.POST.lists():
        yield key, key
        for value in values:
            yield key, value


def problem_in(request: HttpRequest) -> tuple[int, str] | None:
    """(status, message) for the first broken part of the request, or None."""
    path_problem = text.problem(request.path, max_length=text.MAX_PATH)
    if path_problem is not None:
        return 400, _("The address: %(problem)s") % {
            "problem": message(path_problem, max_length=text.MAX_PATH)
        }
    found = _check(_query_pairs(request), max_length=text.MAX_QUERY_VALUE, multiline=False)
    if found:
        return 400, found
    content_type = request.content_type or ""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if content_type in _FORM_TYPES:
        if request.path.startswith("/api/"):
            # Django Ninja reads the raw body after us: keep it readable.
            request.body  # noqa: B018
        try:
            pairs = list(_form_pairs(request))
        except MultiPartParserError:
            return 400, _("The form could not be read.")
        found = _check(iter(pairs), max_length=text.MAX_FIELD_VALUE, multiline=True)
        return (400, found) if found else None
    if content_type == "application/json":
        try:
            document = json.loads(request.body)
        except ValueError:
            return None  # malformed JSON is the schema's to refuse
        found = _check(_strings(document, ""), max_length=text.MAX_FIELD_VALUE, multiline=True)
        return (422, found) if found else None
    return None


def _page(status: int, detail: str) -> HttpResponse:
    title = escape(_("This request cannot be accepted"))
    body = (
        f'<!doctype html><html lang="{escape(get_language() or "vi")}"><meta charset="utf-8">'
        f"<title>{title}</title><h1>{title}</h1><p>{escape(detail)}</p>"
        f'<p><a href="/">{escape(_("Back to the home page"))}</a></p></html>'
    )
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


class InputBoundaryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """A value a view passed to the database unchecked (a malformed id in a
        lookup) is the sender's mistake: 400 with Django's message, not a 500."""
        if not isinstance(exc, ValidationError):
            return None
        detail = " ".join(str(m) for m in exc.messages)
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "invalid_input", "messages": exc.messages}, status=400)
        return _page(400, detail)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = problem_in(request)
        if refused is None:
            return self.get_response(request)
        status, detail = refused
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "invalid_input", "messages": [detail]}, status=status)
        return _page(status, detail)
