"""The Django admin shows every model to an administrator, and history stays read-only there."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from frontdoor.core.admin import ReadOnlyAdmin
from tests.factories import UserFactory

FRONTDOOR_MODELS = [
    model for model in apps.get_models() if model.__module__.startswith("frontdoor.")
]


def test_every_front_door_model_is_in_the_admin():
    missing = [m.__name__ for m in FRONTDOOR_MODELS if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize(
    "model", FRONTDOOR_MODELS, ids=lambda m: f"{m._meta.app_label}.{m.__name__}"
)
def test_an_administrator_can_open_every_list_in_the_admin(client, council, model):
    client.force_login(UserFactory(role="administrator", is_superuser=True))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "model",
    [m for m in FRONTDOOR_MODELS if isinstance(admin.site._registry.get(m), ReadOnlyAdmin)],
    ids=lambda m: f"{m._meta.app_label}.{m.__name__}",
)
def test_read_only_records_cannot_be_added_in_the_admin(client, council, model):
    client.force_login(UserFactory(role="administrator", is_superuser=True))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    assert client.get(url).status_code == 403
