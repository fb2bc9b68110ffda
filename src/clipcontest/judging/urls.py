from django.urls import path

from . import views

app_name = "judging"
urlpatterns = [
    path("manage/contests/<slug:slug>/jury/", views.jury_desk, name="desk"),
    path("manage/contests/<slug:slug>/jury/rubric/", views.rubric_edit, name="rubric"),
    path("manage/contests/<slug:slug>/jury/rounds/", views.round_create, name="round_create"),
    path(
        "manage/contests/<slug:slug>/jury/rounds/<int:number>/<slug:action>/",
        views.round_action,
        name="round_action",
    ),
    path(
        "manage/contests/<slug:slug>/jury/scorecards/<int:card_id>/unlock/",
        views.scorecard_unlock,
        name="unlock",
    ),
    path("jury/<slug:slug>/", views.my_rounds, name="my_rounds"),
    path("jury/<slug:slug>/<int:number>/<uuid:public_id>/", views.score_entry, name="score"),
    path("jury/<slug:slug>/recuse/<uuid:public_id>/", views.recuse, name="recuse"),
]
