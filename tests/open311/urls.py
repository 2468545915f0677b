"""Only the Open311 routes, mounted where frontdoor/urls.py mounts them, so these tests do not
depend on every other interface importing cleanly."""

from django.urls import include, path

urlpatterns = [path("open311/v2/", include("frontdoor.open311.urls"))]
