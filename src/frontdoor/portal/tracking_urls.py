"""Guest tracking URLs (included into the portal's namespace under /track/)."""

from django.urls import path

from frontdoor.portal import tracking

urlpatterns = [
    path("<str:token>/", tracking.track, name="track"),
    path("<str:token>/add-information/", tracking.track_add_information,
         name="track-add-information"),
    path("<str:token>/reopen/", tracking.track_reopen, name="track-reopen"),
    path("<str:token>/files/<int:attachment_id>/", tracking.track_file, name="track-file"),
]
