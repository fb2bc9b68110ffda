"""Units, teams, invitations and the person's own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clipcontest.accounts import domain as accounts
from clipcontest.accounts.enums import Role
from clipcontest.accounts.forms import ApiTokenForm, InvitationForm
from clipcontest.accounts.models import ApiToken, RoleGrant
from clipcontest.accounts.rules import can_invite
from clipcontest.core.errors import DomainError
from clipcontest.org import domain as org
from clipcontest.org.forms import TeamForm, UnitsCsvForm
from clipcontest.org.models import Hierarchy, Team, Unit

from ..access import SignedInRequest, managed_contest, require


def unit_detail(request: HttpRequest, hierarchy: str, code: str) -> HttpResponse:
    unit = get_object_or_404(
        Unit.objects.select_related("level", "parent", "hierarchy"),
        hierarchy__slug=hierarchy,
        code=code,
    )
    can_manage = request.user.has_perm("org.manage_unit", unit)
    ancestors = Unit.objects.filter(
        hierarchy_id=unit.hierarchy_id, code__in=unit.ancestor_codes[:-1]
    ).order_by("depth")
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "children": unit.children.select_related("level").order_by("name"),
        "can_manage": can_manage,
        "teams": unit.teams.all() if can_manage else None,
        "can_revoke": can_invite(request.user, role=Role.COORDINATOR, unit=unit),
        # the same rule as invite_to_unit, so the button never leads to a refusal
        "can_invite_here": any(
            can_invite(request.user, role=r, unit=unit) for r in (Role.COORDINATOR, Role.ORGANIZER)
        ),
        "coordinators": (
            RoleGrant.objects.filter(unit=unit, role=Role.COORDINATOR).select_related("user")
            if can_manage
            else None
        ),
    }
    return render(request, "web/units/unit_detail.html", context)


def hierarchy_list(request: HttpRequest) -> HttpResponse:
    hierarchies = Hierarchy.objects.all()
    roots = Unit.objects.filter(depth=0).select_related("hierarchy").order_by("name")
    return render(
        request, "web/units/hierarchies.html", {"hierarchies": hierarchies, "roots": roots}
    )


@login_required
def team_create(request: HttpRequest, hierarchy: str, code: str) -> HttpResponse:
    unit = get_object_or_404(Unit, hierarchy__slug=hierarchy, code=code)
    require(request, "org.add_team", unit)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = org.create_team(unit=unit, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Team created."))
            return redirect("web:team_detail", team_id=team.pk)
    return render(request, "web/units/team_form.html", {"form": form, "unit": unit})


@login_required
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("unit__hierarchy"), pk=team_id)
    require(request, "org.view_team", team)
    return render(
        request,
        "web/units/team_detail.html",
        {
            "team": team,
            "members": team.memberships.select_related("user"),
            "can_change": request.user.has_perm("org.change_team", team),
        },
    )


def _invite(
    request: HttpRequest, *, roles: list[Role], back: str, target: dict, title: str
) -> HttpResponse:
    form = InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        if not can_invite(request.user, role=role, **target):
            raise PermissionDenied
        try:
            accounts.invite(
                by=request.user,
                email=form.cleaned_data["email"],
                role=role,
                display_name=form.cleaned_data["display_name"],
                **target,
            )
        except DomainError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect(back)
    return render(request, "web/invite.html", {"form": form, "title": title, "back": back})


@login_required
def invite_to_unit(request: HttpRequest, hierarchy: str, code: str) -> HttpResponse:
    unit = get_object_or_404(Unit, hierarchy__slug=hierarchy, code=code)
    roles = [
        r for r in (Role.COORDINATOR, Role.ORGANIZER) if can_invite(request.user, role=r, unit=unit)
    ]
    if not roles:
        raise PermissionDenied
    return _invite(
        request,
        roles=roles,
        target={"unit": unit},
        back=reverse("web:unit_detail", args=[hierarchy, code]),
        title=_("Invite a coordinator for %(unit)s") % {"unit": unit.name},
    )


@login_required
def invite_to_team(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=team_id)
    require(request, "org.change_team", team)
    return _invite(
        request,
        roles=[Role.TEAM_MEMBER],
        target={"team": team},
        back=reverse("web:team_detail", args=[team.pk]),
        title=_("Invite a member to %(team)s") % {"team": team.name},
    )


@login_required
def invite_juror(request: HttpRequest, slug: str) -> HttpResponse:
    contest = managed_contest(request, slug)
    return _invite(
        request,
        roles=[Role.JUROR],
        target={"contest": contest},
        back=reverse("web:contest_manage", args=[contest.slug]),
        title=_("Invite a juror for %(contest)s") % {"contest": contest.title},
    )


@login_required
def api_tokens(request: SignedInRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = accounts.create_api_token(
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            days=form.cleaned_data["expires_in_days"],
        )
        form = ApiTokenForm()
    tokens = accounts.active_tokens(request.user)
    return render(request, "web/api_tokens.html", {"form": form, "tokens": tokens, "raw": raw})


@login_required
@require_POST
def api_token_revoke(request: SignedInRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    accounts.revoke_api_token(token=token, by=request.user)
    messages.success(request, _("Token revoked."))
    return redirect("web:api_tokens")


@login_required
@require_POST
def role_revoke(request: HttpRequest, hierarchy: str, code: str, grant_id: int) -> HttpResponse:
    """Remove a coordinator: whoever may invite one for this unit may also remove one."""
    unit = get_object_or_404(Unit, hierarchy__slug=hierarchy, code=code)
    grant = get_object_or_404(RoleGrant, pk=grant_id, unit=unit, role=Role.COORDINATOR)
    if not can_invite(request.user, role=Role.COORDINATOR, unit=unit):
        raise PermissionDenied
    accounts.revoke_role(grant=grant, by=request.user)
    messages.success(request, _("Role removed."))
    return redirect("web:unit_detail", hierarchy, code)


@login_required
def units_import(request: HttpRequest) -> HttpResponse:
    """Site admins load a hierarchy from CSV; a bad file is refused whole, line by line."""
    if not request.user.is_superuser:
        raise PermissionDenied
    form = UnitsCsvForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            text = data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            errors = [_("The file must be UTF-8 text.")]
        else:
            try:
                with transaction.atomic():
                    hierarchy, _created = Hierarchy.objects.get_or_create(
                        slug=data["hierarchy_slug"],
                        defaults={"name": data["hierarchy_name"], "source": data["file"].name},
                    )
                    count = org.import_units_csv(hierarchy=hierarchy, text=text, by=request.user)
            except DomainError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("%(count)s units imported.") % {"count": count})
                return redirect("web:hierarchies")
    return render(request, "web/units/import.html", {"form": form, "errors": errors})
