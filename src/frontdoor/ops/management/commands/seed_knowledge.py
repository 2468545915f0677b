"""`frontdoor seed-knowledge`: the starter knowledge base and signposting directory.

Safe to run again: it adds only articles and organisations that are not there yet and never
changes one that exists (staff may have edited it). Needs a council configuration loaded.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from frontdoor.catalogue.seed import seed_knowledge
from frontdoor.council.errors import CouncilNotLoaded


class Command(BaseCommand):
    help = "Add the starter knowledge articles and signposting organisations (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = seed_knowledge(now=timezone.now())
        except CouncilNotLoaded as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            f"Knowledge articles: {len(result.articles_created)} added, "
            f"{result.articles_kept} already there"
            + (f", {len(result.articles_not_offered)} left out (service not offered)"
               if result.articles_not_offered else "")
            + "."
        )
        self.stdout.write(
            f"Signposting organisations: {len(result.organisations_created)} added, "
            f"{result.organisations_kept} already there."
        )
        if result.organisations_created:
            self.stdout.write(
                "Check the other organisations' phone numbers and web addresses before "
                "going live: they change."
            )
