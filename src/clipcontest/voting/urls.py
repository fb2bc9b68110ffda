from django.urls import path

from .views import log, manage, public, vote

app_name = "voting"
urlpatterns = [
    path("contests/<slug:slug>/gallery/", public.gallery, name="gallery"),
    path("contests/<slug:slug>/gallery/<uuid:public_id>/", public.entry_page, name="entry"),
    path("contests/<slug:slug>/results/votes/", public.results, name="results"),
    path("contests/<slug:slug>/log/votes.jsonl", log.leaves_file, name="log_leaves"),
    path("contests/<slug:slug>/log/head.json", log.head, name="log_head"),
    path("contests/<slug:slug>/log/heads.json", log.heads_json, name="log_heads"),
    path("contests/<slug:slug>/log/heads.atom", log.heads_atom, name="log_heads_atom"),
    path("contests/<slug:slug>/receipt/<str:code>/", log.receipt_page, name="receipt"),
    path(
        "contests/<slug:slug>/receipt/<str:code>/proof.json", log.receipt_json, name="receipt_json"
    ),
    path("contests/<slug:slug>/receipt/<str:code>/qr.svg", log.receipt_qr, name="receipt_qr"),
    path("contests/<slug:slug>/gallery/<uuid:public_id>/share/", public.share, name="share"),
    path("s/<str:code>", public.shared, name="shared"),
    path("contests/<slug:slug>/vote/challenge.json", vote.challenge_json, name="challenge"),
    path("contests/<slug:slug>/vote/code/", vote.request_code, name="request_code"),
    path("contests/<slug:slug>/vote/verify/", vote.confirm_code, name="confirm_code"),
    path("contests/<slug:slug>/vote/<uuid:public_id>/", vote.cast, name="cast"),
    path("contests/<slug:slug>/vote/sign-out/", vote.sign_out, name="sign_out"),
    path("manage/contests/<slug:slug>/votes/", manage.queue, name="queue"),
    path("manage/contests/<slug:slug>/votes/<int:vote_id>/", manage.review, name="review"),
    path("manage/contests/<slug:slug>/votes/settings/", manage.edit_settings, name="settings"),
]
