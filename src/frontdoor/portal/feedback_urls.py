"""Feedback and survey URLs (included by portal/urls.py; names "portal:…")."""

from django.urls import path

from frontdoor.portal import feedback

urlpatterns = [
    path("feedback/", feedback.give, name="feedback"),
    path("feedback/sent/", feedback.sent, name="feedback-sent"),
    path("feedback/review/<str:reference>/", feedback.review, name="feedback-review"),
    path("feedback/review-by-link/<str:token>/", feedback.review_by_link,
         name="feedback-review-link"),
    path("survey/thanks/", feedback.survey_thanks, name="survey-thanks"),
    path("survey/<str:token>/", feedback.survey, name="survey"),
]
