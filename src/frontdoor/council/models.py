"""Council configuration: models."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q


class ImmutableVersion(Exception):
    """A stored council version is never edited or deleted; load a new one instead."""


class CouncilVersionQuerySet(models.QuerySet["CouncilVersion"]):
    def delete(self) -> NoReturn:
        raise ImmutableVersion("council versions are kept for ever; load a new version instead")

    def update(self, **kwargs: Any) -> int:
        # Only the "current" flag moves between versions; everything else is frozen at insert.
        if set(kwargs) - {"is_current"}:
            raise ImmutableVersion("only is_current may change on a stored council version")
        return super().update(**kwargs)


class CouncilVersion(models.Model):
    """One validated council configuration as it was loaded; at most one is current."""

    number = models.PositiveIntegerField(unique=True)
    document = models.JSONField()
    checksum = models.CharField(max_length=64)
    source = models.CharField(max_length=500)
    loaded_at = models.DateTimeField()
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_current = models.BooleanField(default=False)

    objects = CouncilVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="council_at_most_one_current_version",
            )
        ]

    def __str__(self) -> str:
        return f"Council configuration version {self.number} ({self.source})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableVersion("council versions are immutable; load a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableVersion("council versions are kept for ever; load a new version instead")
