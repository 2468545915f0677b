"""Fixtures for knowledge base and signposting tests."""

from __future__ import annotations

from datetime import datetime

import pytest

from frontdoor.accounts.models import User
from frontdoor.catalogue.actions import ArticleContent, create_article
from frontdoor.catalogue.models import KnowledgeArticle
from tests.factories import UserFactory


@pytest.fixture
def editor(db: None) -> User:
    return UserFactory(role="team_leader", display_name="Lee Leader",
                       teams={"waste-services": "leader"})


def missed_bin_content(**changes: object) -> ArticleContent:
    values: dict[str, object] = {
        "service_code": "missed-bin",
        "title": "Report a missed bin collection",
        "summary": "Check the collection day first; report by the end of the next working day.",
        "body": "If the bin was out by 7am and not emptied, log it.\n\nThe crew returns.",
        "what_we_need": ("Address, with postcode", "Which bin"),
        "script": "I'm sorry your bin was missed. I've logged it now.",
        "online_form_url": "/services/missed-bin/",
        "keywords": ("missed bin", "not emptied"),
    }
    values.update(changes)
    return ArticleContent(**values)  # type: ignore[arg-type]


@pytest.fixture
def missed_bin_article(council: object, editor: User, now: datetime) -> KnowledgeArticle:
    return create_article(content=missed_bin_content(), by=editor, now=now, published=True)
