"""REST API routes (Django REST Framework)."""

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from claims.api import docs, views
from claims.api.exceptions import api_not_found
from claims.api.schema import ApiSchemaView

app_name = "api"

router = DefaultRouter()
router.include_root_view = False
router.register("articles", views.ArticleViewSet, basename="article")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("sources", views.SourceViewSet, basename="source")

urlpatterns = [
    path("", docs.api_root, name="root"),
    path("schema/", ApiSchemaView.as_view(), name="schema"),
    path("docs/", docs.api_docs, name="docs"),
    *router.urls,
    # Last: whatever no route above matches is a JSON 404, not Django's HTML page.
    re_path(r"^", api_not_found, name="not-found"),
]
