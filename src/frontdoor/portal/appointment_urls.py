"""Appointment URLs (included by portal/urls.py under /appointments/, names "portal:…")."""

from django.urls import path

from frontdoor.portal import appointments

urlpatterns = [
    path("", appointments.start, name="appointments"),
    path("book/<slug:step>/", appointments.book, name="appointments-book"),
    path("booked/", appointments.booked, name="appointments-booked"),
    path("mine/", appointments.mine, name="appointments-mine"),
    path("mine/<str:reference>/", appointments.mine_page, name="appointment-mine"),
    path("mine/<str:reference>/change/", appointments.mine_change,
         name="appointment-mine-change"),
    path("mine/<str:reference>/cancel/", appointments.mine_cancel,
         name="appointment-mine-cancel"),
    path("manage/<str:token>/", appointments.manage, name="appointment-manage"),
    path("manage/<str:token>/change/", appointments.manage_change,
         name="appointment-manage-change"),
    path("manage/<str:token>/cancel/", appointments.manage_cancel,
         name="appointment-manage-cancel"),
]
