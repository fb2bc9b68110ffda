"""Rate limits, proxies, revocation, the site-wide audit log, CSV formula injection."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory

from clipcontest.accounts.domain import create_api_token
from clipcontest.accounts.enums import Role
from clipcontest.accounts.models import RoleGrant
from clipcontest.audit.middleware import client_ip
from clipcontest.audit.models import AuditEvent
from clipcontest.contests import domain as contests
from clipcontest.org.models import Hierarchy

pytestmark = pytest.mark.django_db


def test_client_ip_ignores_forwarded_for_without_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"


def test_client_ip_takes_address_seen_by_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = 1
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9", REMOTE_ADDR="127.0.0.1"
    )
    assert client_ip(request) == "198.51.100.9"


def test_revoked_api_token_stops_working(world):
    token, raw = create_api_token(user=world.organizer, name="script")
    client = Client()
    client.force_login(world.organizer)
    assert client.post(f"/me/api-tokens/{token.pk}/revoke/").status_code == 302
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_other_users_token_cannot_be_revoked(world):
    token, _raw = create_api_token(user=world.organizer, name="script")
    client = Client()
    client.force_login(world.coord_a)
    assert client.post(f"/me/api-tokens/{token.pk}/revoke/").status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("coord_a", 302), ("organizer", 302), ("coord_b", 403), ("coord_commune_a", 403)],
)
def test_removing_a_commune_coordinator(world, role, status):
    grant = RoleGrant.objects.get(user=world.coord_commune_a, role=Role.COORDINATOR)
    client = Client()
    client.force_login(world.user(role))
    h = world.province.hierarchy.slug
    response = client.post(f"/units/{h}/{world.commune_a.code}/roles/{grant.pk}/revoke/")
    assert response.status_code == status
    assert RoleGrant.objects.filter(pk=grant.pk).exists() == (status == 403)


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("organizer", 403), ("coord_a", 403)])
def test_site_audit_log_is_for_site_admins(world, role, status):
    client = Client()
    client.force_login(world.user(role))
    assert client.get("/manage/audit/").status_code == status
    assert client.get("/manage/audit.csv").status_code == status


def test_audit_csv_neutralises_formulas(world):
    contests.update_contest(
        contest=world.contest, by=world.organizer, title='=HYPERLINK("http://evil","x")'
    )
    client = Client()
    client.force_login(world.organizer)
    response = client.get(f"/manage/contests/{world.contest.slug}/audit.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(body)))
    assert row["object"] == '\'=HYPERLINK("http://evil","x")'


def test_refused_csv_import_leaves_no_hierarchy(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,name,level,parent_code\n1,,tỉnh,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_units", str(path), "--hierarchy", "bad")
    assert not Hierarchy.objects.filter(slug="bad").exists()


def test_api_token_caller_is_the_actor_of_phase_changes(world):
    _token, raw = create_api_token(user=world.organizer, name="t")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    phases = [
        {
            "kind": "submission",
            "starts_at": (now - dt.timedelta(days=1)).isoformat(),
            "ends_at": (now + dt.timedelta(days=10)).isoformat(),
        },
        {
            "kind": "results",
            "starts_at": (now + dt.timedelta(days=10)).isoformat(),
            "ends_at": (now + dt.timedelta(days=20)).isoformat(),
        },
    ]
    response = Client().put(
        f"/api/v1/contests/{world.contest.slug}/timeline",
        json.dumps(phases),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
    opened = AuditEvent.objects.get(action="phase.open")
    assert (opened.actor, opened.via) == (world.organizer, "api")
    assert contests.Phase.objects.get(contest=world.contest, kind="submission").state == "open"


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("organizer", 403)])
def test_units_import_page_is_for_site_admins(world, role, status):
    client = Client()
    client.force_login(world.user(role))
    assert client.get("/units/import/").status_code == status


def test_units_import_page_refuses_bad_file_whole(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.admin)
    bad = SimpleUploadedFile("u.csv", "code,name,level,parent_code\n1,A,tỉnh,\n2,B,xã,9\n".encode())
    response = client.post(
        "/units/import/", {"hierarchy_name": "X", "hierarchy_slug": "x", "file": bad}
    )
    assert "Line 3: the parent code 9 is neither in the file nor in the hierarchy." in (
        response.content.decode()
    )
    assert not Hierarchy.objects.filter(slug="x").exists()
    good = SimpleUploadedFile(
        "u.csv", "code,name,level,parent_code\n1,A,tỉnh,\n2,B,xã,1\n".encode()
    )
    response = client.post(
        "/units/import/", {"hierarchy_name": "X", "hierarchy_slug": "x", "file": good}
    )
    assert response.status_code == 302
    assert Hierarchy.objects.get(slug="x").units.count() == 2
