"""gunicorn's access log with the client's address, not the proxy's.

Behind nginx every request comes from 127.0.0.1; the log's first field (%(h)s) is read from
X-Forwarded-For instead, exactly as DRF's throttles and axes read it (TRUSTED_PROXIES).
"""

import os

from gunicorn.glogging import Logger

from ecei_site.shared_state import client_address


class ClientAddressLogger(Logger):
    def __init__(self, cfg):
        super().__init__(cfg)
        # gunicorn.conf.py has read .env into the environment before the logger is made.
        self.trusted_proxies = int(os.environ.get("TRUSTED_PROXIES") or 0)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = client_address(environ, self.trusted_proxies)
        return atoms
