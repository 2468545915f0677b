"""Cases: a piece of work for the council, with its reference, owner, clocks and history."""

from __future__ import annotations

from django.db import models


class Case(models.Model):
    reference = models.CharField(max_length=32, unique=True)

    def __str__(self) -> str:
        return self.reference
