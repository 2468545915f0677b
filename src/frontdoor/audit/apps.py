from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "frontdoor.audit"
    label = "audit"
    verbose_name = "Audit trail"
