"""Knowledge base and signposting pages: reading, searching, editing with history."""

from __future__ import annotations

import pytest
from django.test import Client

from frontdoor.catalogue.actions import ArticleContent, create_article
from frontdoor.catalogue.models import KnowledgeArticle
from frontdoor.catalogue.seed import seed_knowledge
from tests.factories import UserFactory
from tests.pagecheck import check_page, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(council, now) -> None:
    seed_knowledge(now=now)


@pytest.fixture
def draft(council, now) -> KnowledgeArticle:
    return create_article(
        content=ArticleContent(service_code="missed-bin", title="New bin rounds from March",
                               summary="Rounds change.", body="Draft words."),
        by=None, now=now)


def signed_in(role: str) -> Client:
    client = Client()
    client.force_login(UserFactory(role=role, display_name=f"A {role}"))
    return client


def missed_bin() -> KnowledgeArticle:
    return KnowledgeArticle.objects.get(slug="missed-bin")


def pages() -> list[str]:
    article = missed_bin().pk
    return ["/staff/knowledge/", f"/staff/knowledge/{article}/", "/staff/signposting/"]


def editor_pages() -> list[str]:
    article = missed_bin().pk
    return [f"/staff/knowledge/{article}/edit/", f"/staff/knowledge/{article}/history/",
            "/staff/knowledge/new/"]


def test_signed_out_people_are_sent_to_sign_in(client: Client, seeded) -> None:
    for url in pages() + editor_pages():
        response = client.get(url)
        assert response.status_code == 302 and "/staff/sign-in/" in response["Location"], url
    for url in [*editor_pages()[::2], f"/staff/knowledge/{missed_bin().pk}/publish/"]:
        assert client.post(url, {}).status_code == 302, url


def test_residents_get_forbidden_everywhere(seeded) -> None:
    resident = signed_in("resident")
    for url in pages() + editor_pages():
        assert resident.get(url).status_code == 403, url
    assert resident.post(f"/staff/knowledge/{missed_bin().pk}/publish/").status_code == 403


@pytest.mark.parametrize("role", ["agent", "case_officer", "team_leader", "manager",
                                  "administrator"])
def test_every_staff_role_reads_the_knowledge_base(seeded, role: str) -> None:
    client = signed_in(role)
    for url in pages():
        response = client.get(url)
        assert response.status_code == 200, url
        check_page(response.content.decode())


@pytest.mark.parametrize("role", ["agent", "case_officer"])
def test_agents_and_case_officers_cannot_edit(seeded, role: str) -> None:
    client = signed_in(role)
    article = missed_bin()
    for url in editor_pages():
        assert client.get(url).status_code == 403, url
    response = client.post(f"/staff/knowledge/{article.pk}/edit/",
                           {"title": "Hacked", "version": "1"})
    assert response.status_code == 403
    assert client.post(f"/staff/knowledge/{article.pk}/publish/",
                       {"publish": "no", "version": "1"}).status_code == 403
    assert missed_bin().title == "Report a missed bin collection" and missed_bin().published


def test_search_finds_the_article_in_the_customers_words_in_few_queries(
    seeded, django_assert_max_num_queries
) -> None:
    client = signed_in("agent")
    client.get("/staff/knowledge/")  # sign-in session warm
    with django_assert_max_num_queries(5):
        response = client.get("/staff/knowledge/?q=bin+not+emptied")
    page = check_page(response.content.decode(), title_contains="Knowledge base")
    results = next(ul for ul in page.iter("{http://www.w3.org/1999/xhtml}ul")
                   if "app-result-list" in (ul.get("class") or ""))
    titles = [text_of(a) for a in results.iter("{http://www.w3.org/1999/xhtml}a")]
    assert titles[0] == "Report a missed bin collection"


def test_browsing_a_service_lists_its_articles(seeded, django_assert_max_num_queries) -> None:
    client = signed_in("agent")
    with django_assert_max_num_queries(5):
        response = client.get("/staff/knowledge/?service=electoral-registration")
    text = text_of(check_page(response.content.decode()))
    assert "Register to vote" in text and "Apply for a postal or proxy vote" in text


def test_an_article_shows_what_we_need_what_to_say_and_the_online_form(
    seeded, django_assert_max_num_queries
) -> None:
    client = signed_in("agent")
    with django_assert_max_num_queries(5):
        response = client.get(f"/staff/knowledge/{missed_bin().pk}/")
    html = response.content.decode()
    text = text_of(check_page(html, title_contains="Report a missed bin collection"))
    assert "What we need from the customer" in text and "Which bin" in text
    assert "What to say" in text and "I'm sorry your bin was missed" in text
    assert 'href="/services/missed-bin/"' in html
    assert "Last updated 5 January 2026 at 10:00am" in text
    assert "Edit this article" not in text  # agents read; they do not edit


def test_agents_never_see_drafts(draft) -> None:
    assert signed_in("agent").get(f"/staff/knowledge/{draft.pk}/").status_code == 404
    leader = signed_in("team_leader")
    assert "Draft: agents cannot see this yet" in leader.get(
        f"/staff/knowledge/{draft.pk}/").content.decode()


def test_a_team_leader_edits_an_article_and_the_history_shows_the_change(seeded) -> None:
    client = signed_in("team_leader")
    article = missed_bin()
    form = client.get(f"/staff/knowledge/{article.pk}/edit/")
    check_page(form.content.decode(), title_contains="Edit: Report a missed bin collection")
    response = client.post(f"/staff/knowledge/{article.pk}/edit/", {
        "service_code": "missed-bin", "title": article.title, "summary": article.summary,
        "body": article.body, "what_we_need": "\n".join(article.what_we_need),
        "script": "Sorry about that. The crew will be back within 2 working days.",
        "online_form_url": article.online_form_url, "keywords": ", ".join(article.keywords),
        "note": "New script agreed with the crews", "version": str(article.version),
    })
    assert response.status_code == 303
    shown = client.get(response["Location"])
    assert "Your changes are saved" in shown.content.decode()
    history = client.get(f"/staff/knowledge/{article.pk}/history/")
    text = text_of(check_page(history.content.decode()))
    assert "Changed the script" in text and "by A team_leader" in text
    assert "Why: New script agreed with the crews" in text
    assert "Created and published" in text


def test_a_bad_edit_shows_an_error_summary_linked_to_the_field(seeded) -> None:
    client = signed_in("administrator")
    article = missed_bin()
    response = client.post(f"/staff/knowledge/{article.pk}/edit/", {
        "service_code": "missed-bin", "title": "", "summary": "s", "body": "b",
        "version": str(article.version)})
    html = response.content.decode()
    page = check_page(html)
    assert text_of(page.find(".//{http://www.w3.org/1999/xhtml}title")).startswith("Error: ")
    assert 'href="#title"' in html and "Enter a title" in html


def test_an_edit_on_a_stale_page_is_refused_not_lost(seeded) -> None:
    client = signed_in("manager")
    article = missed_bin()
    data = {"service_code": "missed-bin", "title": "One", "summary": "s", "body": "b",
            "version": str(article.version)}
    assert client.post(f"/staff/knowledge/{article.pk}/edit/", data).status_code == 303
    response = client.post(f"/staff/knowledge/{article.pk}/edit/", {**data, "title": "Two"})
    assert "Someone else changed" in response.content.decode()
    assert missed_bin().title == "One"


def test_unpublishing_hides_the_article_from_agents(seeded) -> None:
    article = missed_bin()
    leader = signed_in("team_leader")
    response = leader.post(f"/staff/knowledge/{article.pk}/publish/",
                           {"publish": "no", "version": str(article.version)})
    assert response.status_code == 303
    assert signed_in("agent").get(f"/staff/knowledge/{article.pk}/").status_code == 404


def test_a_new_article_can_be_written_and_published(council) -> None:
    client = signed_in("administrator")
    response = client.post("/staff/knowledge/new/", {
        "service_code": "beach-huts", "title": "Beach hut keys", "summary": "Where to get keys.",
        "body": "From the seafront office.", "publish": "yes"})
    assert response.status_code == 303
    assert KnowledgeArticle.objects.get(title="Beach hut keys").published


def test_the_signposting_directory_searches_what_people_need(
    seeded, django_assert_max_num_queries
) -> None:
    client = signed_in("agent")
    with django_assert_max_num_queries(5):
        response = client.get("/staff/signposting/?q=debt")
    text = text_of(check_page(response.content.decode(), title_contains="Signposting"))
    assert "StepChange Debt Charity" in text and "0800 138 1111" in text
    assert "Samaritans" not in text
