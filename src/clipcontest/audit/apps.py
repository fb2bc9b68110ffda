from django.apps import AppConfig


class AuditConfig(AppConfig):
    verbose_name = "Audit log"
    name = "clipcontest.audit"
    label = "audit"
