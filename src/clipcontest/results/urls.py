from django.urls import path

from . import publication_views, views

app_name = "results"
urlpatterns = [
    path("contests/<slug:slug>/results/", views.public_results, name="public"),
    path(
        "contests/<slug:slug>/results/v<int:version>.json",
        publication_views.document,
        name="document",
    ),
    path("manage/contests/<slug:slug>/results/", views.manage, name="manage"),
    path(
        "manage/contests/<slug:slug>/results/withdraw/",
        publication_views.withdraw,
        name="withdraw",
    ),
    path("manage/contests/<slug:slug>/results/decide/", views.decide, name="decide"),
    path("manage/contests/<slug:slug>/results/publish/", views.publish, name="publish"),
    path("manage/contests/<slug:slug>/results/library/", views.library_add, name="library_add"),
    path(
        "manage/contests/<slug:slug>/results/tiers/<int:tier_id>/",
        views.distinction,
        name="distinction",
    ),
    path(
        "manage/contests/<slug:slug>/results/export/<slug:kind>.<slug:fmt>",
        views.export,
        name="export",
    ),
    path(
        "manage/contests/<slug:slug>/results/certificates.zip",
        views.certificates_zip,
        name="certificates_zip",
    ),
    path(
        "manage/contests/<slug:slug>/results/certificates/<int:team_id>.pdf",
        views.certificate,
        name="certificate",
    ),
    path("library/", views.library, name="library"),
    path("library/<uuid:public_id>/", views.library_detail, name="library_detail"),
    path("library/<uuid:public_id>/embed/", views.library_embed, name="library_embed"),
    path("library/<uuid:public_id>/original", views.library_original, name="library_original"),
    path("library/<uuid:public_id>/poster.jpg", views.library_poster, name="library_poster"),
    path(
        "library/<uuid:public_id>/<slug:label>.mp4",
        views.library_rendition,
        name="library_rendition",
    ),
]
