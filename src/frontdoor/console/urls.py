from django.urls import include, path

from frontdoor.console import views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("", include("frontdoor.console.queue_urls")),
    path("", include("frontdoor.console.case_urls")),
    path("customers/", include("frontdoor.console.customer_urls")),
    path("", include("frontdoor.console.assisted_urls")),
    path("", include("frontdoor.console.contact_urls")),
    path("", include("frontdoor.console.knowledge_urls")),
]
