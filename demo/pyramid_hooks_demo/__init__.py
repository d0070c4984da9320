"""The pyramid_hooks demo application (served by ``pserve``).

From the repository's root, ``pip install -e . -e ./demo && pserve
demo/development.ini``, then open http://127.0.0.1:6543/.  ``phooks
demo/development.ini`` shows what pyramid_hooks composed for it.
"""

from pyramid.config import Configurator
from pyramid.csrf import CookieCSRFStoragePolicy

import pyramid_hooks
from pyramid_hooks_demo.layout import html_renderer_factory
from pyramid_hooks_demo.security import DemoSecurityPolicy


def main(global_config, **settings):
    """The demo's WSGI application factory."""
    secret = settings.get('demo.secret', 'not-a-secret-change-me')
    # the shop's user-facing errors reach JSON-RPC clients (Odoo style)
    settings.setdefault(
        'hooks.controllers.expose_errors', 'pyramid_hooks_demo.shop.UserError'
    )
    with Configurator(settings=settings) as config:
        config.include('pyramid_hooks')
        config.include('pyramid_hooks.config.introspection')
        config.set_security_policy(DemoSecurityPolicy(secret))
        config.set_csrf_storage_policy(CookieCSRFStoragePolicy())
        config.set_default_csrf_options(require_csrf=True)
        config.add_renderer('html', html_renderer_factory)
        config.add_application_wrapper(
            'pyramid_hooks_demo.wrappers.SecurityHeaders', after=True
        )
        # a hook namespace of the demo's own, as a plugin would declare it
        config.add_hook_namespace('search')
        config.add_hook(
            'results', args=('request',), namespace='search', value=True
        )
        config.add_hook(
            'searched',
            args=('request', 'query', 'count'),
            namespace='search',
            trap_exceptions=True,
        )
        config.register_hook(
            'results', '.listeners.rank_results', namespace='search'
        )
        config.register_hook(
            'searched', '.listeners.log_search', namespace='search'
        )
        config.include('pyramid_hooks_demo.views')
        config.add_controller('pyramid_hooks_demo.shop.Shop')
        config.add_controller('pyramid_hooks_demo.shop_offers.ShopWithOffers')
        return pyramid_hooks.make_wsgi_app(config)
