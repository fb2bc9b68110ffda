from django.urls import path

from .views import coordinator, organizer, team

app_name = "screening"
unit = "contests/<slug:slug>/screening/units/<str:code>/"
urlpatterns = [
    path("contests/<slug:slug>/screening/", coordinator.home, name="home"),
    path("contests/<slug:slug>/screening/overview/", organizer.overview, name="overview"),
    path("contests/<slug:slug>/screening/reminders/", organizer.remind, name="remind"),
    path(
        "contests/<slug:slug>/screening/levels/<int:phase_id>/",
        organizer.level_settings,
        name="level_settings",
    ),
    path("contests/<slug:slug>/screening/mine/", team.mine, name="mine"),
    path(unit, coordinator.queue, name="queue"),
    path(f"{unit}entries/<uuid:public_id>/decide/", coordinator.decide, name="decide"),
    path(
        f"{unit}entries/<uuid:public_id>/withdraw-forward/",
        coordinator.withdraw_forward,
        name="withdraw_forward",
    ),
    path(f"{unit}forward/", coordinator.forward, name="forward"),
    path(f"{unit}reopen/", organizer.reopen, name="reopen"),
    path("entries/<uuid:public_id>/screening/", team.entry_history, name="entry_history"),
]
