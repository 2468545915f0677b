"""The staff case page, its file downloads and one POST endpoint per change (console namespace)."""

from django.urls import path

from frontdoor.console import case_pages

urlpatterns = [
    path("cases/<str:reference>/", case_pages.case_page, name="case"),
    path("cases/<str:reference>/files/<int:attachment_id>/", case_pages.download_attachment,
         name="case-file"),
    path("cases/<str:reference>/messages/<int:message_id>/resend/", case_pages.decide_message,
         {"decision": "resend"}, name="case-message-resend"),
    path("cases/<str:reference>/messages/<int:message_id>/abandon/", case_pages.decide_message,
         {"decision": "abandon"}, name="case-message-abandon"),
    path("cases/<str:reference>/<slug:change>/", case_pages.change_case, name="case-change"),
]
