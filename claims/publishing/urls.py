"""Public fact-check pages (no sign-in) and their ClaimReview feeds."""

from django.urls import path

from . import views
from .feeds import FactcheckAtomFeed

app_name = "publishing"

urlpatterns = [
    path("", views.article_index, name="index"),
    path("feed.json", views.claimreview_feed, name="feed"),
    path("feed.atom", FactcheckAtomFeed(), name="feed_atom"),
    path("<int:pk>/", views.article_page, name="article"),
    path("<int:pk>/claimreview.json", views.article_claimreview_json, name="article_json"),
    path("<int:pk>/claims.csv", views.article_csv, name="article_csv"),
    path("snapshots/<int:pk>/", views.snapshot_page, name="snapshot"),
]
