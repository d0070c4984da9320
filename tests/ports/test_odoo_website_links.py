"""Odoo's link_tracker and website_links controllers, ported
(tests/ports/odoo_website_links.py): a short link's redirect keeping the
visitor's query, its statistics at the same URL with a ``+``, and the
shortener's JSON routes for signed-in users."""

import json

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.threadlocal import get_current_request
from webtest import TestApp

from tests.ports.odoo_fakes import Env, Model, Record
from tests.ports.odoo_website_links import LinkTracker, WebsiteUrl


class Recordset(list):
    """Records, as Odoo's: falsy when empty, ``read()`` their values."""

    @property
    def id(self):
        return self[0].id if self else False

    @property
    def link_id(self):
        return Recordset([self[0].link_id] if self else [])

    def read(self):
        return [
            {
                k: [v.id, str(v)] if isinstance(v, Record) else v  # many2one
                for k, v in vars(r).items()
                if not k.startswith('_')
            }
            for r in self
        ]


class OdooRecord(Record):
    """A record is a recordset of one: ``read()``."""

    def read(self):
        return Recordset([self]).read()


class Links(Model):
    record_class = OdooRecord

    def search_or_create(self, values_list):
        found = Recordset()
        for values in values_list:
            link = next(
                (r for r in self.records.values() if r.url == values['url']),
                None,
            ) or self.create({
                'url': values['url'], 'title': values.get('title', ''),
                'count': 0,
            })  # fmt: skip
            if not any(c.link_id is link for c in self.codes.records.values()):
                self.codes.create({'code': f'c{link.id}', 'link_id': link})
            found.append(link)
        return found

    def get_url_from_code(self, code):
        codes = self.codes.search([('code', '=', code)], limit=1)
        return codes[0].link_id.url if codes else None

    def recent_links(self, filter, limit):
        links = sorted(self.records.values(), key=lambda r: -r.id)
        if filter == 'most-clicked':
            links = [r for r in links if r.count]
        return Recordset(links[:limit]).read()

    def has_access(self, operation):
        return True


class Codes(Model):
    record_class = OdooRecord

    def search(self, domain, limit=None, order=None):
        domain = [  # a many2one compared with an id
            (f, op, self.links.browse(v) if f == 'link_id' else v)
            for f, op, v in domain
        ]
        return Recordset(super().search(domain, limit, order))

    def search_count(self, domain):
        return len(self.search(domain))

    def create(self, values):
        if isinstance(values['link_id'], int):  # a many2one given its id
            values = dict(values, link_id=self.links.browse(values['link_id']))
        return Recordset([super().create(values)])

    def has_access(self, operation):
        return False


class Clicks(Model):
    def add_click(self, code, ip, country_code):
        self.create({'code': code, 'ip': ip, 'country_code': country_code})


class IrHttp(Model):
    def is_a_bot(self):
        return 'bot' in (get_current_request().user_agent or '').lower()


class HeaderUser:
    """A security policy: the user is the ``X-User`` header."""

    def authenticated_userid(self, request):
        return request.headers.get('X-User')

    def identity(self, request):  # pragma: no cover - Pyramid's API
        return self.authenticated_userid(request)

    def permits(self, request, context, permission):  # pragma: no cover
        return True


def make_app(*controllers):
    env = Env()
    links = env['link.tracker'] = Links('link.tracker')
    codes = env['link.tracker.code'] = Codes('link.tracker.code')
    links.codes, codes.links = codes, links
    env['link.tracker.click'] = Clicks('link.tracker.click')
    env['ir.http'] = IrHttp('ir.http')
    env['link.tracker'].search_or_create([
        {'url': 'https://www.example.com/shop?utm_source=news'},
        {'url': 'https://www.example.com/blog'},
    ])  # fmt: skip
    config = Configurator(security_policy=HeaderUser())
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_fakes')
    config.include('tests.ports.odoo_auth_signup')  # request.redirect
    config.registry.odoo_env = env
    for controller in controllers or (WebsiteUrl, LinkTracker):
        config.add_controller(controller)
    return TestApp(config.make_wsgi_app()), env


def rpc(app, path, user='1', **params):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    headers = {'X-User': user} if user else {}
    return app.post_json(path, body, headers=headers).json


def test_a_short_link_redirects_and_counts_the_click():
    app, env = make_app()
    response = app.get(
        '/r/c1?utm_source=mail&ref=a&ref=b',
        headers={'X-Country': 'BE', 'User-Agent': 'Firefox'},
        extra_environ={'REMOTE_ADDR': '192.0.2.7'},
        status=301,
    )
    # the link's own utm_source wins; the visitor's other keys are kept
    assert response.location == (
        'https://www.example.com/shop?utm_source=news&ref=a&ref=b'
    )
    (click,) = env['link.tracker.click'].records.values()
    assert (click.code, click.ip, click.country_code) == (
        'c1',
        '192.0.2.7',
        'BE',
    )
    # a robot is not counted
    app.get('/r/c2', headers={'User-Agent': 'Googlebot'}, status=301)
    assert len(env['link.tracker.click'].records) == 1
    # an unknown code: 404
    app.get('/r/nope', status=404)


def test_the_statistics_of_a_link_at_its_url_with_a_plus():
    app, _env = make_app()
    response = app.get('/r/c2+', headers={'X-User': '1'})
    body = json.loads(response.text)
    assert body['template'] == 'website_links.graphs'
    assert body['values']['url'] == 'https://www.example.com/blog'
    assert body['values']['can_create_link_tracker_code'] is False
    response = app.get('/r/nope+', headers={'X-User': '1'}, status=301)
    assert response.location == 'http://localhost/'
    # for signed-in users only
    app.get('/r/c2+', status=403)


def test_the_link_trackers_route_first_does_not_start():
    """Werkzeug tries ``/r/<string:code>+`` before ``/r/<string:code>``;
    here the first added wins, and that order is refused."""
    with pytest.raises(ConfigurationError, match='activate statistics_'):
        make_app(LinkTracker, WebsiteUrl)


def test_the_shortener_page_keeps_its_query():
    app, _env = make_app()
    body = json.loads(app.get('/r?url=x', headers={'X-User': '1'}).text)
    assert body['template'] == 'website_links.page_shorten_url'
    assert body['values'] == {
        'can_create_link_tracker': True,
        'can_create_link_tracker_code': False,
        'url': 'x',
    }
    app.get('/r', status=403)


def test_shorten_a_url():
    app, env = make_app()
    (link,) = rpc(app, '/website_links/new', url='https://a.example/')[
        'result'
    ]
    assert link['url'] == 'https://a.example/'
    assert env['link.tracker'].get_url_from_code('c3') == 'https://a.example/'
    assert rpc(app, '/website_links/new', url='')['result'] == {
        'error': 'empty_url'
    }
    # for signed-in users only; a GET is refused
    error = rpc(app, '/website_links/new', user=None, url='x')['error']
    assert error['code'] == -32001
    app.get('/website_links/new', status=405)


def test_add_a_code_and_recent_links():
    app, env = make_app()
    (code,) = rpc(
        app, '/website_links/add_code', init_code='c1', new_code='sale'
    )['result']
    assert code['code'] == 'sale'
    assert env['link.tracker'].get_url_from_code('sale').endswith('news')
    # the code exists already: Odoo's new_code.read() on an int
    error = rpc(
        app, '/website_links/add_code', init_code='c1', new_code='sale'
    )
    assert error['error']['code'] == -32603
    # a missing parameter is the handler's KeyError, as in Odoo
    assert rpc(app, '/website_links/add_code')['error']['code'] == -32603
    env['link.tracker'].browse(1).count = 3
    links = rpc(app, '/website_links/recent_links', filter='newest', limit=5)
    assert [r['id'] for r in links['result']] == [2, 1]
    links = rpc(
        app, '/website_links/recent_links', filter='most-clicked', limit=5
    )
    assert [r['id'] for r in links['result']] == [1]
