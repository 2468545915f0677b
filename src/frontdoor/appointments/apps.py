from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "frontdoor.appointments"
    label = "appointments"
    verbose_name = "Appointments"
