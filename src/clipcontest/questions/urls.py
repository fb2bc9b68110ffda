from django.urls import path

from . import views

app_name = "questions"
urlpatterns = [
    path("manage/contests/<slug:slug>/questions/", views.manage, name="manage"),
    path("manage/contests/<slug:slug>/questions/<int:question_id>/", views.edit, name="edit"),
    path(
        "manage/contests/<slug:slug>/questions/<int:question_id>/<slug:action>/",
        views.act,
        name="act",
    ),
    path("manage/contests/<slug:slug>/answers.<slug:fmt>", views.export, name="export"),
    path("entries/<uuid:public_id>/answers/", views.answer, name="answer"),
    path("answers/<int:answer_id>/file/", views.answer_file, name="answer_file"),
]
