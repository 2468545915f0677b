from django.urls import path

from frontdoor.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.services, name="services"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
