from django.urls import include, path

from clipcontest.api.urls import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("clipcontest.web.urls")),
    path("", include("clipcontest.entries.urls")),
    path("", include("clipcontest.media.urls")),
    path("", include("clipcontest.screening.urls")),
    path("", include("clipcontest.voting.urls")),
    path("", include("clipcontest.judging.urls")),
    path("", include("clipcontest.results.urls")),
    path("", include("clipcontest.questions.urls")),
    path("", include("clipcontest.announcements.urls")),
    path("", include("clipcontest.ops.urls")),
]
