"""``{% recent_announcements %}``: the latest announcements for the signed-in person, for
their dashboard, with a link to all of them, and for coordinators a link to write one."""

from __future__ import annotations

from typing import Any

from django import template

from ..queries import inbox_for

register = template.Library()
RECENT = 3


@register.inclusion_tag("announcements/_recent.html", takes_context=True)
def recent_announcements(context: template.Context, contests: Any = ()) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = list(inbox_for(user)[:RECENT]) if user is not None and user.is_authenticated else []
    return {"rows": rows, "contests": contests}
