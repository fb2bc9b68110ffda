"""``{% answers_panel entry "jury" blind=round.blind %}``: an entry's answers as the
given audience may read them, for templates of other apps (entry page, screening queue,
jury card, gallery) without changing their views.

``audience`` is ``"auto"`` (from the signed-in user), ``"coordinators"``, ``"jury"`` or
``"public"``. With ``batch`` (a page's items or entries) the answers of the whole page
are loaded in one query on first use, so list pages cost the same for 1 or 30 items.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from clipcontest.entries.models import Entry

from ..enums import Visibility
from ..queries import AnswerView, answers_for, readable_answers

register = template.Library()

AUDIENCES = {
    "coordinators": Visibility.COORDINATORS,
    "jury": Visibility.JURY,
    "public": Visibility.PUBLIC,
}


def _entry_of(obj: Any) -> Entry | None:
    if isinstance(obj, Entry):
        return obj
    inner = getattr(obj, "entry", None)
    if isinstance(inner, Entry):
        return inner
    public_id = getattr(obj, "public_id", None)
    if public_id:
        return (
            Entry.objects.select_related("contest__organizer_unit", "unit")
            .filter(public_id=public_id)
            .first()
        )
    return None


@register.inclusion_tag("questions/_answers.html", takes_context=True)
def answers_panel(
    context: template.Context,
    obj: Any,
    audience: str = "auto",
    blind: bool = False,
    batch: Iterable[Any] | None = None,
) -> dict[str, Any]:
    entry = _entry_of(obj)
    answers: list[AnswerView] = []
    if entry is not None:
        if audience == "auto":
            request = context.get("request")
            user = getattr(request, "user", None)
            answers = readable_answers(user, entry) if user is not None else []
        else:
            key = f"answers_panel:{audience}:{bool(blind)}:{id(batch)}"
            cache = context.render_context.get(key)
            if cache is None or entry.pk not in cache:
                entries = [e for e in (_entry_of(o) for o in (batch or [])) if e is not None]
                cache = answers_for(
                    entries or [entry], level=AUDIENCES.get(audience), blind=bool(blind)
                )
                context.render_context[key] = cache
            answers = cache.get(entry.pk, [])
    return {"answers": answers}
