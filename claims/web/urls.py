from django.urls import path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("articles/new", views.article_submit, name="article_submit"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("articles/<int:pk>/progress", views.article_progress_partial, name="article_progress"),
    path("articles/<int:pk>/promote", views.article_promote, name="article_promote"),
    path("queue/", views.queue, name="queue"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/evidence", views.claim_evidence, name="claim_evidence"),
    path("claims/<int:pk>/verdict", views.claim_verdict, name="claim_verdict"),
    path("claims/<int:pk>/sources", views.claim_add_sources, name="claim_add_sources"),
    path("claims/<int:pk>/assign", views.claim_assign, name="claim_assign"),
    path("claims/<int:pk>/edit", views.claim_edit, name="claim_edit"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot_detail"),
]
