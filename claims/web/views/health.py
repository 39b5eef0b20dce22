from django.http import HttpRequest, JsonResponse

from claims import sql


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and docker-compose: answers when the database does."""
    sql.ping()
    return JsonResponse({"status": "ok"})
