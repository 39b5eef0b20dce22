"""Public fact-check pages (no sign-in) and their ClaimReview feeds."""

urlpatterns: list = []
