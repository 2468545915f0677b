from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/notify/callback", include("frontdoor.api.notify_callbacks")),
    path("api/inbound-email", include("frontdoor.api.inbound_email")),
    path("api/v1/", include("frontdoor.api.urls")),
    path("staff/", include("frontdoor.console.urls")),
    path("open311/v2/", include("frontdoor.open311.urls")),
    path("", include("frontdoor.portal.urls")),
]

# Error pages in the resident layout (they must not depend on the page that failed).
handler403 = "frontdoor.portal.views.permission_denied"
handler404 = "frontdoor.portal.views.page_not_found"
handler500 = "frontdoor.portal.views.server_error"
