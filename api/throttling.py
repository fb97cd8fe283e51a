"""Rate limits read from the settings at each request, so that they can be set per site."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class PublicRateThrottle(AnonRateThrottle):
    def get_rate(self):
        return settings.ECEI_API_RATE_ANONYMOUS


class TokenRateThrottle(UserRateThrottle):
    def get_rate(self):
        return settings.ECEI_API_RATE_USER
