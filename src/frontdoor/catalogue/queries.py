"""Service catalogue: reads.

Search works the same on SQLite and PostgreSQL: the database narrows to rows containing any
word of the search (`search_text` is kept lower-case by the actions), and Python ranks them,
a title match above a keyword, above the summary, above the body. Knowledge bases are
hundreds of articles, not millions, so ranking a few dozen candidates is instant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from frontdoor.accounts.permissions import can
from frontdoor.catalogue.models import ArticleRevision, KnowledgeArticle, SignpostOrganisation
from frontdoor.core.errors import NotFound

SEARCH_LIMIT = 25
MAX_WORDS = 8
# Words so common that matching them says nothing about the article.
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "about", "at", "be", "by", "can", "do", "for", "from", "how",
    "i", "in", "is", "it", "my", "of", "on", "or", "the", "to", "we", "what", "when",
    "where", "who", "with", "you", "your",
})

UserLike = AbstractBaseUser | AnonymousUser | None


@dataclass(frozen=True)
class Ranked:
    article: KnowledgeArticle
    score: int


def search_words(text: str) -> list[str]:
    """The words of a search worth matching: lower case, no stop words, at most MAX_WORDS."""
    words = re.findall(r"[\w'-]+", (text or "").casefold())
    kept = [w.strip("'-") for w in words if w.strip("'-") and w not in STOP_WORDS]
    return list(dict.fromkeys(kept))[:MAX_WORDS]


def articles_visible_to(user: UserLike) -> QuerySet[KnowledgeArticle]:
    """Published articles for anyone who may read knowledge; editors also see drafts."""
    if not can(user, "knowledge.view"):
        return KnowledgeArticle.objects.none()
    if can(user, "knowledge.edit"):
        return KnowledgeArticle.objects.all()
    return KnowledgeArticle.objects.filter(published=True)


def search_articles(
    text: str,
    service_code: str | None = None,
    *,
    include_drafts: bool = False,
    limit: int = SEARCH_LIMIT,
) -> list[KnowledgeArticle]:
    """Articles matching the words of `text`, best first (title, keywords, summary, body)."""
    words = search_words(text)
    rows = KnowledgeArticle.objects.all()
    if not include_drafts:
        rows = rows.filter(published=True)
    if service_code:
        rows = rows.filter(service_code=service_code)
    if not words:
        return list(rows.order_by("title")[:limit]) if service_code else []
    rows = rows.filter(reduce(or_, (Q(search_text__contains=w) for w in words)))
    ranked = [Ranked(a, _article_score(a, words)) for a in rows]
    ranked.sort(key=lambda r: (-r.score, r.article.title.casefold()))
    return [r.article for r in ranked[:limit] if r.score > 0]


def articles_for_service(code: str, *, include_drafts: bool = False) -> list[KnowledgeArticle]:
    """The articles about one service, by title."""
    rows = KnowledgeArticle.objects.filter(service_code=code)
    if not include_drafts:
        rows = rows.filter(published=True)
    return list(rows.order_by("title"))


def article_counts_by_service(*, include_drafts: bool = False) -> dict[str, int]:
    """How many articles each service has (one query)."""
    rows = KnowledgeArticle.objects.all()
    if not include_drafts:
        rows = rows.filter(published=True)
    return dict(rows.values_list("service_code").annotate(n=Count("id")).values_list(
        "service_code", "n"))


def get_article(*, user: UserLike, article_id: int) -> KnowledgeArticle:
    """The article if the user may read it, else NotFound (drafts are hidden from agents)."""
    article = (articles_visible_to(user).select_related("updated_by")
               .filter(pk=article_id).first())
    if article is None:
        raise NotFound(f"There is no article {article_id}", field="article_id")
    return article


def published_article_ids(ids: Iterable[int | str]) -> set[int]:
    """Which of these ids are published articles (to check an agent's pick)."""
    numbers = {int(i) for i in ids if str(i).isdigit()}
    return set(KnowledgeArticle.objects.filter(pk__in=numbers, published=True)
               .values_list("pk", flat=True))


def article_revisions(article: KnowledgeArticle) -> list[ArticleRevision]:
    """Every revision of the article, newest first."""
    return list(article.revisions.select_related("by").order_by("-number"))


def search_signposts(text: str, *, limit: int = SEARCH_LIMIT) -> list[SignpostOrganisation]:
    """Active organisations matching the words of `text`, best first; every one for no words."""
    words = search_words(text)
    rows = SignpostOrganisation.objects.filter(active=True)
    if not words:
        return list(rows.order_by("name"))
    rows = rows.filter(reduce(or_, (Q(search_text__contains=w) for w in words)))
    scored = [(_signpost_score(o, words), o) for o in rows]
    scored.sort(key=lambda pair: (-pair[0], pair[1].name.casefold()))
    return [o for score, o in scored[:limit] if score > 0]


def signposts_for_service(code: str) -> list[SignpostOrganisation]:
    """Organisations that relate to one of our services (offered first when signposting)."""
    return [o for o in SignpostOrganisation.objects.filter(active=True).order_by("name")
            if code in (o.service_codes or [])]


def active_signposts() -> list[SignpostOrganisation]:
    return list(SignpostOrganisation.objects.filter(active=True).order_by("name"))


def get_signpost(organisation_id: int | str) -> SignpostOrganisation:
    """An active organisation in the directory, else NotFound."""
    found = None
    if str(organisation_id).isdigit():
        found = SignpostOrganisation.objects.filter(pk=int(organisation_id), active=True).first()
    if found is None:
        raise NotFound("Choose an organisation from the directory", field="signpost")
    return found


# ------------------------------------------------------------------------------ ranking


def _count(haystack: str, word: str) -> int:
    return 1 if word in haystack else 0


def _article_score(article: KnowledgeArticle, words: list[str]) -> int:
    title = article.title.casefold()
    keywords = " ".join(article.keywords or []).casefold()
    summary = article.summary.casefold()
    body = article.body.casefold()
    score = 0
    for word in words:
        score += 8 * _count(title, word) + 5 * _count(keywords, word)
        score += 3 * _count(summary, word) + 1 * _count(body, word)
    # A search that is wholly a keyword phrase ("missed bin") beats scattered matches.
    phrase = " ".join(words)
    if len(words) > 1 and (phrase in title or phrase in keywords):
        score += 10
    return score


def _signpost_score(organisation: SignpostOrganisation, words: list[str]) -> int:
    name = organisation.name.casefold()
    keywords = " ".join(organisation.keywords or []).casefold()
    help_with = organisation.help_with.casefold()
    area = organisation.area.casefold()
    return sum(8 * _count(name, w) + 5 * _count(keywords, w) + 2 * _count(help_with, w)
               + _count(area, w) for w in words)
