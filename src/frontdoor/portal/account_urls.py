"""My Account URLs (included into the portal's namespace: names start "account-")."""

from django.urls import path

from frontdoor.portal import account

urlpatterns = [
    path("account/", account.home, name="account-home"),
    path("account/register/", account.register, name="account-register"),
    path("account/check-your-email/", account.check_email, name="account-check-email"),
    path("account/confirm-email/<str:token>/", account.confirm_email,
         name="account-confirm-email"),
    path("account/sign-in/", account.sign_in, name="account-sign-in"),
    path("account/sign-out/", account.sign_out, name="account-sign-out"),
    path("account/signed-out/", account.signed_out, name="account-signed-out"),
    path("account/forgot-password/", account.forgot_password, name="account-forgot-password"),
    path("account/forgot-password/sent/", account.reset_sent, name="account-reset-sent"),
    path("account/reset-password/<str:uid>/<str:token>/", account.reset_password_page,
         name="account-reset-password"),
    path("account/requests/", account.requests_list, name="account-requests"),
    path("account/requests/<str:reference>/", account.request_page, name="account-request"),
    path("account/requests/<str:reference>/add-information/", account.request_add_information,
         name="account-request-add-information"),
    path("account/requests/<str:reference>/reopen/", account.request_reopen,
         name="account-request-reopen"),
    path("account/requests/<str:reference>/files/<int:attachment_id>/", account.request_file,
         name="account-request-file"),
    path("account/profile/", account.profile, name="account-profile"),
    path("account/profile/details/", account.profile_details, name="account-profile-details"),
    path("account/profile/address/", account.profile_address, name="account-profile-address"),
    path("account/preferences/", account.preferences, name="account-preferences"),
    path("account/sharing/", account.sharing, name="account-sharing"),
    path("account/subscriptions/", account.subscriptions, name="account-subscriptions"),
    path("subscriptions/unsubscribe/<str:token>/", account.unsubscribe_page,
         name="unsubscribe"),
    path("language/<str:code>/", account.switch_language, name="language"),
]
