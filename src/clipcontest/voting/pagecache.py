"""Whole-page cache for the pages a share brings people to: the gallery and entry pages.

Who gets a cached page: a GET without a session cookie and without pending messages,
i.e. an anonymous visitor who has not started verifying or voting. Signed-in users and
voters (both have a session) always get a fresh page. The cached page carries no CSRF
token (``web/csrf.js`` reads it from the cookie, or fetches it when a form is sent).

Keys hold the site and contest versions (``core.pagecache``: bumped after commit by
every audited change and by every vote), the voting window's state at this moment (so
voting opens and closes on the second), the language, and the full path. A warm hit
costs two cache round trips and no database query.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from clipcontest.contests.models import Contest, Phase
from clipcontest.core import pagecache

from . import conf, queries
from .models import Vote, VotingSettings

#: The (site, contest) versions ``visible_state`` read for this request.
VERSIONS = "_clipcontest_page_versions"
#: Set on a request whose page is rendered for everyone: templates get no CSRF token.
SHARED = "_clipcontest_shared_page"


class _Blank(str):
    """An empty but truthy string: ``{% csrf_token %}`` then renders its hidden field
    with an empty value, which ``web/csrf.js`` fills in the browser."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return True


#: The ``csrf_token`` of a page rendered for everyone.
NO_TOKEN = _Blank("")

State = tuple[Contest, VotingSettings, Phase | None]


def contest_state(slug: str) -> State:
    """The contest, its voting settings and voting phase, cached under the versions.

    Raises Http404 for an unknown slug. Who may see the contest is checked by callers.
    """
    return _versioned_state(slug)[0]


def _state_key(slug: str) -> str:
    return f"voting:state:{slug}"


def _valid_state(found: Any, site: int) -> tuple[State, tuple[int, int]] | None:
    """A stored (site, contest version, state) still current, with its versions."""
    if found is None or found[0] != site:
        return None
    _site, contest_version, state = found
    if contest_version != pagecache.version(state[0].pk):
        return None
    return state, (site, contest_version)


def _versioned_state(
    slug: str, found: Any = None, site: int | None = None
) -> tuple[State, tuple[int, int]]:
    """The state and the (site, contest) versions it is valid for: two cache round trips
    when warm (one when the caller already read the site version and the stored state)."""
    if site is None:
        site = pagecache.version()
        found = cache.get(_state_key(slug))
    valid = _valid_state(found, site)
    if valid is not None:
        return valid
    contest = get_object_or_404(Contest.objects.select_related("organizer_unit__level"), slug=slug)
    contest_version = pagecache.version(contest.pk)  # read before the rows: never newer
    state = (contest, queries.settings_for(contest), queries.voting_phase(contest))
    cache.set(_state_key(slug), (site, contest_version, state), _seconds())
    return state, (site, contest_version)


def visible_state(
    request: HttpRequest, slug: str
) -> tuple[Contest, VotingSettings, queries.Window]:
    """The contest this user may see (or 404), its voting settings and its voting window
    now: the rows come from ``contest_state`` (no query when warm), the permission is
    checked on every request and the window's state is recomputed from the phase's
    times, so voting opens and closes on the second."""
    (contest, voting, phase), versions = _versioned_state(slug)
    setattr(request, VERSIONS, versions)
    if not request.user.has_perm("contests.view_contest", contest):
        raise Http404
    return contest, voting, queries.window_of(phase, timezone.now())


def _seconds() -> int:
    return int(conf.get("VOTING_PAGE_CACHE_SECONDS"))


def shareable(request: HttpRequest) -> bool:
    """True for a request that may get (and fill) the page cached for everyone."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def is_shared(request: HttpRequest) -> bool:
    return bool(getattr(request, SHARED, False))


def page_key(request: HttpRequest, slug: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:40]
    return f"voting:page:{slug}:{get_language()}:{path}"


View = Callable[..., HttpResponse]


def cached_for_everyone(
    finish: Callable[[HttpRequest, HttpResponse], None] | None = None,
) -> Callable[[View], View]:
    """Serve ``view(request, slug, ...)`` from the whole-page cache when the request is
    shareable; ``finish`` runs on every response (e.g. to set a per-browser cookie,
    which is never stored)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
            if not shareable(request):
                return view(request, slug, **kwargs)
            # One round trip for the site version, the contest state and the page, one
            # for the contest's version; the page is current when it was stored under
            # the same versions and the same voting window state.
            key = page_key(request, slug)
            found = cache.get_many([pagecache.SITE, _state_key(slug), key])
            site = found.get(pagecache.SITE) or pagecache.version()
            state, versions = _versioned_state(slug, found.get(_state_key(slug)), site)
            setattr(request, VERSIONS, versions)
            contest, _voting, phase = state
            if not request.user.has_perm("contests.view_contest", contest):
                raise Http404
            stamp = (*versions, queries.window_of(phase, timezone.now()).state)
            stored = found.get(key)
            if stored is not None and stored[0] == stamp:
                response = HttpResponse(stored[2], content_type=stored[1])
                response["X-Page-Cache"] = "hit"
            else:
                setattr(request, SHARED, True)
                response = view(request, slug, **kwargs)
                if response.status_code == 200 and not response.streaming:
                    page = (stamp, response["Content-Type"], response.content)
                    cache.set(key, page, _seconds())
                    response["X-Page-Cache"] = "miss"
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
            if finish is not None:
                finish(request, response)
            return response

        return wrapped

    return decorate


def vote_changed(sender: type[Vote], instance: Vote, **kwargs: Any) -> None:
    """A vote was stored or changed: the contest's counts on cached pages are stale."""
    pagecache.changed_on_commit(instance.contest_id)
