"""DRF throttles that count by the client's address as the rest of rdec does (rdec.core.net:
TRUSTED_PROXIES, the right-most untrusted X-Forwarded-For hop), not by DRF's own NUM_PROXIES
reading of the header. A view or module that throttles uses these (or ClientAddressMixin)."""

from __future__ import annotations

from rest_framework import throttling

from rdec.core.net import client_ip


class ClientAddressMixin:
    def get_ident(self, request):
        return client_ip(request) or "unknown"


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    pass
