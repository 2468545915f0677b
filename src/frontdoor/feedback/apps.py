from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "frontdoor.feedback"
    label = "feedback"
    verbose_name = "Feedback"
