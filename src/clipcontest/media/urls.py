from django.urls import path

from . import serve, tus

app_name = "media"
urlpatterns = [
    path("uploads/tus/", tus.collection, name="tus"),
    path("uploads/tus/<uuid:upload_id>", tus.resource, name="tus_upload"),
    path("video/<uuid:video_id>/<slug:label>.mp4", serve.rendition, name="rendition"),
    path("video/<uuid:video_id>/hls/master.m3u8", serve.hls_master, name="hls_master"),
    path("video/<uuid:video_id>/hls/<slug:label>/<str:file>", serve.hls_file, name="hls_file"),
    path("video/<uuid:video_id>/poster.jpg", serve.image, {"kind": "poster"}, name="poster"),
    path(
        "video/<uuid:video_id>/thumbnails.jpg",
        serve.image,
        {"kind": "thumbnails"},
        name="thumbnails",
    ),
    path("captions/<uuid:public_id>.vtt", serve.captions, name="captions"),
]
