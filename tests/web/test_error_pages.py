"""Error pages are styled, in the visitor's language, with a way back; icons exist;
actions are offered only to those allowed to take them."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from django.urls import path

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


def test_404_is_styled_with_navigation_in_vietnamese(world, settings):
    settings.LANGUAGE_CODE = "vi"
    response = Client().get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html
    assert 'href="/"' in html
    assert 'class="error-page"' in html


def test_403_is_styled_and_offers_the_dashboard(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.outsider)
    response = client.get(f"/manage/contests/{world.contest.slug}/audit/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "You may not open this page" in html
    assert 'href="/me/"' in html


def test_500_is_styled_in_the_visitors_language(world, settings):
    settings.LANGUAGE_CODE = "vi"
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.content.decode()


def test_csrf_failure_page_is_styled(world):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.organizer)
    response = client.post(f"/manage/contests/{world.contest.slug}/status/", {"status": "archived"})
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()


@override_settings(DEBUG=False)
def test_400_page_is_styled(world):
    response = Client().get("/", HTTP_HOST="bad host name")
    assert response.status_code == 400
    assert "The request could not be read" in response.content.decode()


def test_favicon_address_leads_to_a_real_icon():
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("web/favicon.ico")
    for name in ("favicon.ico", "favicon.svg", "apple-touch-icon.png", "manifest.webmanifest"):
        assert finders.find(f"web/{name}") is not None


def test_pages_link_the_icons(world):
    html = Client().get("/").content.decode()
    assert 'rel="icon"' in html
    assert 'rel="manifest"' in html


def test_coordinator_sees_invite_only_where_allowed(world):
    """A commune coordinator may not invite a coordinator for their own unit: no button."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.coord_commune_a)
    own = client.get(f"/units/{world.commune_a.hierarchy.slug}/{world.commune_a.code}/")
    assert "Invite a coordinator" not in own.content.decode()
    assert (
        client.get(
            f"/units/{world.commune_a.hierarchy.slug}/{world.commune_a.code}/invite/"
        ).status_code
        == 403
    )


def test_district_coordinator_sees_invite_for_a_commune_below(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.coord_a)
    page = client.get(f"/units/{world.commune_a.hierarchy.slug}/{world.commune_a.code}/")
    assert "Invite a coordinator" in page.content.decode()


def test_organizer_sees_invite_on_their_own_unit(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.organizer)
    page = client.get(f"/units/{world.province.hierarchy.slug}/{world.province.code}/")
    assert "Invite a coordinator" in page.content.decode()
