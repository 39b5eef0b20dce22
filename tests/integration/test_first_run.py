"""First run and small things: bootstrap's two accounts, /api/ lists the endpoints."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.urls import reverse

from claims import roles

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def test_bootstrap_creates_a_reviewer_and_an_editor_and_shows_passwords_once():
    out = io.StringIO()
    call_command("bootstrap", "--no-demo", stdout=out)
    text = out.getvalue()
    passwords = dict(re.findall(r"account '(\w+)' with password (\S+)", text))
    assert set(passwords) == {"reviewer", "editor"}
    reviewer = authenticate(username="reviewer", password=passwords["reviewer"])
    editor = authenticate(username="editor", password=passwords["editor"])
    assert list(reviewer.groups.values_list("name", flat=True)) == [roles.REVIEWERS]
    assert not reviewer.is_staff and roles.can_review(reviewer) and not roles.can_edit(reviewer)
    assert list(editor.groups.values_list("name", flat=True)) == [roles.EDITORS]
    assert editor.is_staff and roles.can_edit(editor)
    assert "shown only once" in text
    assert "python manage.py changepassword reviewer" in text
    assert "python manage.py changepassword editor" in text

    again = io.StringIO()
    call_command("bootstrap", "--no-demo", stdout=again)
    assert "password" not in again.getvalue().replace("password unchanged", "")
    assert get_user_model().objects.count() == 2


def test_api_root_lists_the_endpoints(client, reader):
    response = client.get("/api/")
    assert response.status_code == 200
    body = response.json()
    assert body["docs"].endswith(reverse("api:docs"))
    paths = {(e["method"], e["path"]) for e in body["endpoints"]}
    assert ("GET", "/api/claims/") in paths
    assert ("PATCH", "/api/claims/{id}/") in paths
    assert ("POST", "/api/claims/{id}/documents/") in paths
    assert ("POST", "/api/articles/{id}/unpublish/") in paths
