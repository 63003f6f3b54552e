"""Small pieces the member pages share."""

from django.http import HttpResponse

from core.errors import DomainError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # member data stays off shared caches
    return response


def show_error(form, exc: DomainError) -> None:
    """Each rule's message on the field it names, or above the form."""
    for e in exc.each():
        form.add_error(e.field if e.field in form.fields else None, e.message)
