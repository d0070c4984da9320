"""Application wrappers of the demo: they run inside Pyramid (the request,
the registry and the exception views are there), around every request,
error pages included.

``RequestId`` is named in ``development.ini``
(``hooks.application_wrappers``); ``SecurityHeaders`` is added in Python
with ``after=True`` so that it is outermost.
"""

import re
import uuid

from pyramid_hooks import ApplicationWrapper

_VALID_ID = re.compile(r'^[A-Za-z0-9\-]{1,64}$')


class RequestId(ApplicationWrapper):
    """Give every request an id (the client's ``X-Request-Id`` when it sent
    a sane one) and send it back in the ``X-Request-Id`` header; pages show
    it in their footer."""

    def __call__(self, request):
        given = request.headers.get('X-Request-Id', '')
        request_id = given if _VALID_ID.match(given) else uuid.uuid4().hex
        request.environ['demo.request_id'] = request_id
        response = self.next_handler(request)
        response.headers['X-Request-Id'] = request_id
        return response


class SecurityHeaders(ApplicationWrapper):
    """Outermost wrapper: a couple of defensive response headers, which a
    ``demo.security_headers = false`` setting turns off (``injected``)."""

    @property
    def injected(self):
        value = self.settings.get('demo.security_headers', 'true')
        return str(value).lower() not in ('false', 'no', 'off', '0')

    def __call__(self, request):
        response = self.next_handler(request)
        response.headers.setdefault('X-Content-Type-Options', 'nosniff')
        response.headers.setdefault('X-Frame-Options', 'DENY')
        return response
