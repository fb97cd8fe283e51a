"""The browser's security headers (issue 11; docs/deployment.md): the content security policy
(django-csp) and the permissions policy (django-permissions-policy), read by settings.py."""

from csp.constants import NONCE, NONE, SELF

# No inline script anywhere: scripts are static files (or carry the request's nonce).
# Inline style attributes stay allowed (Bootstrap markup, the admin); <style> needs the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
UNUSED_FEATURES = "accelerometer camera geolocation gyroscope magnetometer microphone payment usb".split()
PERMISSIONS_POLICY = dict.fromkeys(UNUSED_FEATURES, [])
