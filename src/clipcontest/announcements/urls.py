from django.urls import path

from . import views

app_name = "announcements"
urlpatterns = [
    path("manage/contests/<slug:slug>/announcements/", views.manage, name="manage"),
    path("manage/contests/<slug:slug>/announcements/new/", views.compose, name="compose"),
    path(
        "manage/contests/<slug:slug>/announcements/<int:announcement_id>/",
        views.detail,
        name="detail",
    ),
    path("me/announcements/", views.inbox, name="inbox"),
]
