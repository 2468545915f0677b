"""`frontdoor seed-knowledge`: a realistic starter knowledge base, safe to run again."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from frontdoor.catalogue.models import ArticleRevision, KnowledgeArticle, SignpostOrganisation
from frontdoor.catalogue.queries import search_articles, search_signposts
from frontdoor.catalogue.seed import ARTICLES, ORGANISATIONS

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("seed_knowledge", stdout=out)
    return out.getvalue()


def test_seeding_twice_adds_everything_once(council):
    first = run()
    assert f"Knowledge articles: {len(ARTICLES)} added, 0 already there." in first
    assert f"Signposting organisations: {len(ORGANISATIONS)} added" in first
    counts = (KnowledgeArticle.objects.count(), SignpostOrganisation.objects.count(),
              ArticleRevision.objects.count())
    second = run()
    assert f"0 added, {len(ARTICLES)} already there" in second
    assert (KnowledgeArticle.objects.count(), SignpostOrganisation.objects.count(),
            ArticleRevision.objects.count()) == counts


def test_seeded_articles_cover_the_councils_services_with_forms_and_scripts(council):
    run()
    articles = list(KnowledgeArticle.objects.all())
    assert len(articles) >= 20
    services = {s.code for s in council.services}
    assert {a.service_code for a in articles} <= services
    assert len({a.service_code for a in articles}) >= 20
    for article in articles:
        assert article.published and article.what_we_need and article.script, article.slug
        assert article.online_form_url, article.slug
    assert KnowledgeArticle.objects.get(slug="missed-bin").online_form_url == (
        "/services/missed-bin/")
    assert search_articles("missed bin")[0].slug == "missed-bin"
    assert search_articles("single person discount")[0].slug == "single-person-discount"
    assert "Shelter emergency helpline" in [o.name for o in search_signposts("eviction")]


def test_an_article_edited_by_staff_is_not_overwritten(council):
    run()
    KnowledgeArticle.objects.filter(slug="missed-bin").update(title="Our own words")
    run()
    assert KnowledgeArticle.objects.get(slug="missed-bin").title == "Our own words"


def test_without_a_council_the_command_says_what_to_do(db):
    from django.core.management.base import CommandError

    from frontdoor.council.queries import forget_council_cache

    forget_council_cache()
    with pytest.raises(CommandError, match="council load"):
        run()
