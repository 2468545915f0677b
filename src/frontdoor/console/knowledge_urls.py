"""Knowledge base and signposting directory: /staff/knowledge/…, /staff/signposting/."""

from django.urls import path

from frontdoor.console import knowledge

urlpatterns = [
    path("knowledge/", knowledge.knowledge, name="knowledge"),
    path("knowledge/new/", knowledge.knowledge_article_new, name="knowledge-new"),
    path("knowledge/<int:article_id>/", knowledge.knowledge_article, name="knowledge-article"),
    path("knowledge/<int:article_id>/edit/", knowledge.knowledge_article_edit,
         name="knowledge-edit"),
    path("knowledge/<int:article_id>/publish/", knowledge.knowledge_article_publish,
         name="knowledge-publish"),
    path("knowledge/<int:article_id>/history/", knowledge.knowledge_article_history,
         name="knowledge-history"),
    path("signposting/", knowledge.signposting, name="signposting"),
]
