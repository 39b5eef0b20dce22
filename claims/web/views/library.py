"""The document library: list, search and upload; a document's pages and citations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from claims.models import Document
from claims.selectors.library import (
    document_citations,
    document_pages,
    library_collections,
    library_documents,
    library_search,
)
from claims.services.library import library_add_files

from ..forms import LibrarySearchForm, LibraryUploadForm
from .access import reviewer_required, roles

SEARCH_RESULTS = 20


def _library_page(request: HttpRequest, upload_form: LibraryUploadForm, status: int = 200):
    search = LibrarySearchForm(request.GET)
    search.is_valid()
    query = search.cleaned_data.get("q", "").strip()
    collection = search.cleaned_data.get("collection", "").strip()
    results = library_search(query, limit=SEARCH_RESULTS) if query else None
    if results is not None and collection:
        results = [r for r in results if r.collection == collection]
    context = {
        "nav": "library",
        "query": query,
        "collection": collection,
        "results": results,
        "documents": library_documents(collection=collection)[:200],
        "collections": library_collections(),
        "upload_form": upload_form,
        **roles(request),
    }
    return render(request, "claims/library.html", context, status=status)


@require_GET
@login_required
def library(request: HttpRequest) -> HttpResponse:
    return _library_page(request, LibraryUploadForm())


@require_POST
@reviewer_required
def library_upload(request: HttpRequest) -> HttpResponse:
    form = LibraryUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _library_page(request, form, status=400)
    report = library_add_files(
        files=[(upload.name, upload.read()) for upload in form.cleaned_data["files"]],
        collection=form.cleaned_data["collection"],
        user=request.user,
    )
    summary = f"Added {report.added}, already in the library {report.skipped}"
    if report.failed:
        summary += f", could not read {report.failed}"
    messages.success(request, summary + ".")
    for error in report.errors[:20]:
        messages.error(request, f"{error['filename']}: {error['error']}")
    return redirect("library")


def _document(pk: int) -> Document:
    document = Document.objects.select_related("source", "added_by").filter(pk=pk).first()
    if document is None:
        raise Http404("No such document.")
    return document


@require_GET
@login_required
def library_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(pk)
    context = {
        "nav": "library",
        "document": document,
        "pages": document_pages(document),
        "citations": document_citations(document),
        "versions": document.versions.select_related("added_by").order_by("-created_at"),
        **roles(request),
    }
    return render(request, "claims/library_document.html", context)


@require_GET
@login_required
def library_document_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored original of the current version (or ?version=<id>), as a download."""
    document = _document(pk)
    versions = document.versions.select_related("snapshot").order_by("-created_at")
    wanted = request.GET.get("version", "")
    version = versions.filter(pk=int(wanted)).first() if wanted.isdigit() else versions.first()
    if version is None:
        raise Http404("No such version.")
    # Always a download: a stored HTML file must never run in our origin.
    response = HttpResponse(version.snapshot.body, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, version.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
