"""Widget server-side callbacks (placeholder until the widgets issue)."""

from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response


def always_allow(callback, request):
    """Authorize every call."""
    return Response(status=200)


def always_deny(callback, request):
    """Refuse every call (the default)."""
    return HTTPForbidden()
