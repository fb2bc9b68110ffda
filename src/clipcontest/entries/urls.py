from django.urls import path

from . import views

app_name = "entries"
urlpatterns = [
    path("contests/<slug:slug>/my-entries/", views.mine, name="mine"),
    path("contests/<slug:slug>/entries/new/", views.create, name="create"),
    path("entries/<uuid:public_id>/", views.detail, name="detail"),
    path("entries/<uuid:public_id>/edit/", views.edit, name="edit"),
    path("entries/<uuid:public_id>/video/", views.upload, name="upload"),
    path("entries/<uuid:public_id>/video/status.json", views.video_status, name="video_status"),
    path("entries/<uuid:public_id>/submit/", views.submit, name="submit"),
    path("entries/<uuid:public_id>/withdraw/", views.withdraw, name="withdraw"),
]
