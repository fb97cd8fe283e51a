"""One shape for every error: {"detail": "...", "errors": {field: [messages]}} (errors only for bad input)."""

from django.http import JsonResponse
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's own handling, logged
    if isinstance(exc, ValidationError):
        response.data = {"detail": "The request has invalid parameters.", "errors": response.data}
    return response


def api_not_found(request, *args, **kwargs):
    """Unknown URLs under /api/ answer in JSON like the rest of the API."""
    return JsonResponse({"detail": "No such API endpoint."}, status=404)
