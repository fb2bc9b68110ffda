from django.urls import path

from .views import audit, auth, contests_manage, dashboard, people, public

app_name = "web"
urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", public.healthz, name="healthz"),
    path("csrf.json", public.csrf_token, name="csrf"),
    path("contests/<slug:slug>/", public.contest_detail, name="contest_detail"),
    # accounts
    path("login/", auth.LoginView, name="login"),
    path("login/challenge.json", auth.login_challenge, name="login_challenge"),
    path("logout/", auth.LogoutView, name="logout"),
    path("password-reset/", auth.PasswordResetView, name="password_reset"),
    path("password-reset/sent/", auth.PasswordResetDoneView, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", auth.PasswordResetCompleteView, name="password_reset_complete"),
    path("invite/<str:token>/", auth.accept_invite, name="accept_invite"),
    path("me/", dashboard.dashboard, name="dashboard"),
    path("me/api-tokens/", people.api_tokens, name="api_tokens"),
    path("me/api-tokens/<int:token_id>/revoke/", people.api_token_revoke, name="api_token_revoke"),
    path("manage/audit/", audit.site_audit, name="site_audit"),
    path("manage/audit.csv", audit.site_audit_csv, name="site_audit_csv"),
    path(
        "units/<slug:hierarchy>/<str:code>/roles/<int:grant_id>/revoke/",
        people.role_revoke,
        name="role_revoke",
    ),
    # units and teams
    path("units/", people.hierarchy_list, name="hierarchies"),
    path("units/import/", people.units_import, name="units_import"),
    path("units/<slug:hierarchy>/<str:code>/", people.unit_detail, name="unit_detail"),
    path("units/<slug:hierarchy>/<str:code>/teams/new/", people.team_create, name="team_create"),
    path("units/<slug:hierarchy>/<str:code>/invite/", people.invite_to_unit, name="invite_to_unit"),
    path("teams/<int:team_id>/", people.team_detail, name="team_detail"),
    path("teams/<int:team_id>/invite/", people.invite_to_team, name="invite_to_team"),
    # organizer
    path("manage/contests/new/", contests_manage.contest_create, name="contest_create"),
    path("manage/contests/<slug:slug>/", contests_manage.contest_manage, name="contest_manage"),
    path("manage/contests/<slug:slug>/edit/", contests_manage.contest_edit, name="contest_edit"),
    path(
        "manage/contests/<slug:slug>/timeline/",
        contests_manage.contest_timeline,
        name="contest_timeline",
    ),
    path(
        "manage/contests/<slug:slug>/prizes/", contests_manage.contest_prizes, name="contest_prizes"
    ),
    path(
        "manage/contests/<slug:slug>/status/", contests_manage.contest_status, name="contest_status"
    ),
    path(
        "manage/contests/<slug:slug>/phases/<int:phase_id>/move/",
        contests_manage.phase_move,
        name="phase_move",
    ),
    path("manage/contests/<slug:slug>/clone/", contests_manage.contest_clone, name="contest_clone"),
    path("manage/contests/<slug:slug>/jurors/invite/", people.invite_juror, name="invite_juror"),
    path("manage/contests/<slug:slug>/audit/", audit.contest_audit, name="contest_audit"),
    path(
        "manage/contests/<slug:slug>/audit.csv", audit.contest_audit_csv, name="contest_audit_csv"
    ),
    # Browsers ask for /favicon.ico before reading any page; send them to the static one.
    path("favicon.ico", public.favicon, name="favicon"),
]
