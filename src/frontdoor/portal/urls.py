from django.urls import include, path

from frontdoor.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.services, name="services"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("", include("frontdoor.portal.account_urls")),  # My Account, unsubscribe, language
    path("track/", include("frontdoor.portal.tracking_urls")),  # guests' private tracking links
    path("appointments/", include("frontdoor.portal.appointment_urls")),  # book, change, cancel
    path("", include("frontdoor.portal.feedback_urls")),  # feedback, complaints, surveys
    path("", include("frontdoor.portal.form_urls")),  # service pages and online forms
]
