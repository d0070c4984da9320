"""Port of tgext.utils 0.0.4 to Pyramid with pyramid_hooks.

Original: ``tgext/utils/ajax.py`` (``ajax_only``, ``ajax_expose``),
``csrf.py`` (``csrf_token``, ``csrf_protect``, the ``csrf.*`` options),
``meta.py`` (``metatags``), ``slug.py`` (``slugify``,
``slug2entityid``), ``storage.py`` (``store``) and the README.

TurboGears -> Pyramid:

- ``@before_validate`` over a ``def ajax_only(*args, **kw)``, which
  makes the function a decorator applying it -> the same, from
  ``pyramid_hooks``, the listener taking ``(request, params)``;
  ``abort(400)`` -> raising ``HTTPBadRequest``;
- ``ajax_expose(template)``, a function making a ``@before_render``
  decorator that calls ``override_template`` for an XHR request ->
  the same making a ``before_render`` decorator that sets
  ``request.override_renderer`` (the route keeps the ``renderer=`` it
  overrides);
- ``csrf_token`` (``@before_validate``: a token in a signed cookie on
  ``tg.response``, ``request.csrf_token``) -> the same on
  ``request.response``, which the reply is when the handler returns
  text or a dict to render; the original sets ``Cache-Control`` on the
  *request*'s headers (nothing reaches the client): here on the
  response, as its docstring says;
- ``csrf_protect`` (``@before_validate``: the token of
  ``request.args_params`` against the cookie, ``abort(403)``) -> the
  token read from ``request.params`` (a listener's ``params`` holds the
  handler's parameters only), ``HTTPForbidden`` carrying the cookie's
  deletion (an exception's own headers; ``request.response``'s are not
  merged into it); the handler's route has ``csrf=False``, since the
  controllers' own check (Pyramid's session token) would answer first;
- ``tg.config['csrf.secret']`` read on each request (a ``KeyError``
  there) -> the settings, checked when the application is made;
- ``h.metatags(...)`` in templates (``lib/helpers.py``) -> a
  ``BeforeRender`` subscriber giving templates ``metatags``;
- ``slug2entityid`` in the handler -> also a route converter
  ``<slug:entity_id>`` giving the handler the id;
- ``store(data)`` under ``config['paths']['static_files']`` -> ``store(request,
  data)`` under the ``tgext_utils.storage`` setting.
"""

import html
import os
import re
import unicodedata
import uuid

from pyramid.events import BeforeRender
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden
from webob.cookies import SignedSerializer

from pyramid_hooks import before_render, before_validate

NO_STORE = 'no-cache, max-age=0, must-revalidate, no-store'
EXPIRED = 'The form you submitted is invalid or has expired'


@before_validate
def ajax_only(request, params):
    if not request.is_xhr:
        raise HTTPBadRequest()


def ajax_expose(template):
    """A decorator answering XHR requests with *template* instead."""

    def choose(request, params, output):
        if request.is_xhr:
            request.override_renderer = template

    return before_render(choose)


def _csrf_options(settings):
    """``(serializer, cookie name, path, max age)`` of the settings."""
    try:
        expires = int(settings.get('csrf.expires', 600))
    except ValueError:  # as the original: a bad value is the default
        expires = 600
    serializer = SignedSerializer(settings['csrf.secret'], 'tgext.utils.csrf')
    name = settings.get('csrf.token_name', '_csrf_token')
    return serializer, name, settings.get('csrf.path', '/'), expires


def _cookie_token(request, serializer, name):
    try:
        return serializer.loads(request.cookies.get(name, '').encode())
    except ValueError:  # absent, forged or from another secret
        return None


@before_validate
def csrf_token(request, params):
    """Set (or renew) the token cookie; ``request.csrf_token`` holds it."""
    serializer, name, path, expires = _csrf_options(request.registry.settings)
    token = _cookie_token(request, serializer, name) or os.urandom(32).hex()
    request.response.set_cookie(
        name, serializer.dumps(token).decode(), path=path, max_age=expires
    )
    request.response.cache_control = (
        'no-cache, max-age=0, must-revalidate, no-store'
    )
    request.csrf_token = token


@before_validate
def csrf_protect(request, params):
    serializer, name, path, _ = _csrf_options(request.registry.settings)
    token = _cookie_token(request, serializer, name)
    if token is None:
        raise HTTPForbidden(EXPIRED)
    if request.params.get(name) != token:
        refused = HTTPForbidden(EXPIRED)
        refused.delete_cookie(name, path=path)
        raise refused


TEMPLATES = {
    'og': '<meta property="og:{name}" content="{value}"/>',
    'twitter': '<meta name="twitter:{name}" content="{value}"/>',
    'itemprop': '<meta itemprop="{name}" content="{value}"/>',
}
TRANSLATIONS = {'title': {'itemprop': 'name'}}


def metatags(tags=None, **kw):
    """The ``og:``, ``twitter:`` and ``itemprop`` meta tags of each value."""
    found = [
        template.format(
            name=TRANSLATIONS.get(tag, {}).get(ns, tag),
            value=html.escape(str(value)),
        )
        for tag, value in {**(tags or {}), **kw}.items()
        for ns, template in TEMPLATES.items()
    ]
    return '\n'.join(found)


def slugify(entity_id, value):
    ascii_text = unicodedata.normalize('NFKD', value).encode('ascii', 'ignore')
    text = re.sub(r'[^\w\s-]', '', ascii_text.decode('ascii')).strip().lower()
    return '{}-{}'.format(re.sub(r'[-\s]+', '-', text), entity_id)


def slug2entityid(slug):
    return slug.rsplit('-', 1)[-1]


def store(request, data, chunk=4096):
    """Copy the upload *data* (a ``cgi.FieldStorage``) into a new folder
    of the storage; the file's path."""
    folder = request.registry.settings['tgext_utils.storage']
    os.makedirs(folder, exist_ok=True)
    folder = os.path.join(folder, str(uuid.uuid1()))
    os.mkdir(folder)
    name = re.sub(r'[^A-Za-z0-9_.-]', '_', os.path.basename(data.filename))
    destination = os.path.join(folder, name.lstrip('.') or 'file')
    with open(destination, 'wb') as target:
        while block := data.file.read(chunk):
            target.write(block)
    return destination


def _helpers(event):
    event['metatags'] = metatags


def includeme(config):
    settings = config.get_settings()
    if not settings.get('csrf.secret'):
        raise ConfigurationError(
            'tgext_utils: the csrf.secret setting is missing (the key that '
            'signs the CSRF cookie); set it in the ini file'
        )
    config.add_subscriber(_helpers, BeforeRender)
    config.add_route_converter(
        'slug',
        r'[a-z0-9-]{0,80}-[0-9]{1,18}',
        lambda request, value: int(slug2entityid(value)),
    )
