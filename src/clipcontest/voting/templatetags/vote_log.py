"""``{% vote_log_key %}``: the installation's log key, for the contest page."""

from __future__ import annotations

from django import template

from clipcontest.voting import conf, signing

register = template.Library()


@register.inclusion_tag("voting/_log_key.html")
def vote_log_key(contest: object) -> dict[str, object]:
    key = signing.log_key()
    return {
        "contest": contest,
        "key_name": key.name,
        "verifier": key.verifier,
        "merge_delay": conf.get("VOTING_MERGE_DELAY"),
    }
