"""The settings of the read-only REST API (issue 12): Django REST framework and the OpenAPI
schema (drf-spectacular), read by settings.py."""


def rest_framework_config(num_proxies: int) -> dict:
    """REST_FRAMEWORK, with DRF's throttles reading the client's address behind `num_proxies`
    proxies (ecei_site.shared_state.proxy_config)."""
    return {
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
        "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
        "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsSecretariat"],
        "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
        "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
        "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
        "NUM_PROXIES": num_proxies,
    }


SPECTACULAR_SETTINGS = {
    "TITLE": "ECEI Benchmarking API",
    "DESCRIPTION": (
        "Read-only access to the public database of benchmarked clusters and their labels, and, "
        "with a token of a secretariat account (header `Authorization: Token <key>`), to "
        "interviews, answers and issued reports. Lists are paginated (`page`, `page_size`); "
        "errors are `{\"detail\": ...}`, with `errors` per parameter for bad input."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PublicStatusEnum": "benchmarking.selectors.public_status.PublicStatus.CHOICES",
        "InterviewStatusEnum": "benchmarking.models.Interview.Status",
        "LabelLevelEnum": "benchmarking.models.Label.Level",
    },
}
