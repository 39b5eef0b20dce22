"""The OpenAPI schema validates, and a property-based run against it finds no 5xx."""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from claims import queue
from claims.api.schema import api_schema
from tests.factories import make_article, make_claim, make_evidence, make_review


def test_schema_validates_against_the_openapi_3_spec(db):
    spec = api_schema()
    validate_schema(spec)
    assert spec["openapi"].startswith("3.")
    assert "/api/claims/{id}/reviews/" in spec["paths"]


def test_schema_endpoint_serves_the_same_schema(client, db):
    response = client.get(reverse("api:schema") + "?format=json")
    assert response.status_code == 200
    validate_schema(response.json())


@pytest.fixture
def live_api(live_server, monkeypatch, django_user_model):
    """A live server with data in it and an editor's token; nothing reaches the broker."""
    monkeypatch.setattr(queue, "enqueue", lambda *a, **kw: None)
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user(username="fuzzed-editor", password="x")
    editor.groups.add(Group.objects.get(name="editors"))
    reviewer = django_user_model.objects.create_user(username="fuzzed-reviewer", password="x")
    reviewer.groups.add(Group.objects.get(name="reviewers"))
    article = make_article()
    claim = make_claim(article, 0)
    evidence = make_evidence(claim)
    make_review(claim, reviewer, evidence=[evidence])
    open_claim = make_claim(article, 1)
    token = Token.objects.create(user=editor)
    return {
        "base_url": live_server.url,
        "headers": {"Authorization": f"Token {token.key}"},
        "ids": {"articles": article.pk, "claims": open_claim.pk, "sources": evidence.source_id},
    }


MAX_EXAMPLES = 12  # per operation: the whole run stays well under a minute


def test_no_server_errors(live_api):
    """schemathesis generates requests from the schema; none may get a 5xx."""
    fuzz = schemathesis.openapi.from_dict(api_schema())
    operations = [result.ok() for result in fuzz.get_all_operations()]
    assert len(operations) >= 11
    statuses: Counter[int] = Counter()
    for operation in operations:

        @given(case=operation.as_strategy(), real_id=st.booleans())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case, real_id):
            if real_id and case.path_parameters and "id" in case.path_parameters:
                kind = case.path.split("/")[2]  # /api/<kind>/{id}/...
                case.path_parameters["id"] = live_api["ids"][kind]
            response = case.call_and_validate(
                base_url=live_api["base_url"],
                headers=live_api["headers"],
                checks=[not_a_server_error],
                timeout=10,
            )
            statuses[response.status_code] += 1

        check()
    # The run reached the views, not only the authentication layer.
    assert statuses[200] and statuses[400], statuses
