from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

VIEW = {
    "admin": True,
    "organizer": True,
    "coord_a": True,
    "coord_commune_a": True,
    "coord_b": False,
    "member_a": True,
    "juror": True,
    "outsider": False,
    "anonymous": False,
}
CHANGE = {name: name in ("member_a", "admin") for name in VIEW}  # superusers hold every perm


@pytest.mark.parametrize(("who", "allowed"), VIEW.items())
def test_view_entry_unpublished_by_role(world, draft, who, allowed):
    user = world.user(who) or AnonymousUser()

    assert user.has_perm("entries.view_entry", draft) is allowed


@pytest.mark.parametrize(("who", "allowed"), CHANGE.items())
def test_change_entry_by_role(world, draft, who, allowed):
    user = world.user(who) or AnonymousUser()

    assert user.has_perm("entries.change_entry", draft) is allowed


def test_add_entry_only_for_own_team(world):
    assert world.member_a.has_perm("entries.add_entry", world.team_a) is True
    assert world.member_a.has_perm("entries.add_entry", world.team_b) is False


@pytest.mark.parametrize("who", VIEW)
def test_published_entry_of_public_contest_is_visible_to_everyone(world, draft, who):
    user = world.user(who) or AnonymousUser()
    draft.published_at = draft.created_at
    assert user.has_perm("entries.view_entry", draft) is True
    draft.contest.status = "draft"
    assert user.has_perm("entries.view_entry", draft) is VIEW[who]
