"""REST API routes (Django REST Framework)."""

urlpatterns: list = []
