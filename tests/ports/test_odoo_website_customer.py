"""Odoo's customer references, ported
(tests/ports/odoo_website_customer.py): eight patterns on one handler
with two ``model(...)`` converters, the groups by industry and country,
a search and a tag in the query kept by the pager, a reference at its
canonical slug."""

from pyramid.config import Configurator
from webtest import TestApp

from tests.ports.odoo_auth_signup import redirect
from tests.ports.odoo_fakes import (
    Model,
    include_model_converter,
    make_env,
    page,
    render,
)
from tests.ports.odoo_website_customer import WebsiteCustomer

OPERATORS = {
    '=': lambda actual, value: actual == value,
    '!=': lambda actual, value: actual != value,
    'in': lambda actual, value: bool(set(actual or ()) & set(value)),
    'ilike': lambda actual, value: value.lower() in (actual or '').lower(),
}


class Partners(Model):
    """res.partner: a domain of ``=``, ``!=``, ``in``, ``ilike`` terms and
    ``'|'`` prefixes, ``read_group`` by one many2one field."""

    def _match(self, record, domain):
        stack = []
        for term in reversed(domain):
            if term == '|':
                first, second = stack.pop(), stack.pop()
                stack.append(first or second)
                continue
            field, op, value = term
            stack.append(OPERATORS[op](getattr(record, field, None), value))
        return all(stack)

    def search(self, domain, offset=0, limit=None, order=None):
        found = [r for r in self.records.values() if self._match(r, domain)]
        return found[offset : offset + limit if limit else None]

    def search_count(self, domain):
        return len(self.search(domain))

    def read_group(self, domain, groupby):
        groups = {}
        for partner in self.search(domain):
            key = getattr(partner, groupby)
            groups[key] = groups.get(key, 0) + 1
        return [
            {
                f'{groupby}_count': count,
                groupby: key and (key, str(self._related[groupby](key))),
            }
            for key, count in sorted(groups.items(), key=lambda i: i[0] or 0)
        ]


class Website:
    google_maps_api_key = 'maps-key'


def make_app():
    env = make_env()
    partners = env['res.partner'] = Partners('res.partner')
    partners._related = {
        'industry_id': env['res.partner.industry'].browse,
        'country_id': env['res.country'].browse,
    }
    for name in ('Banking', 'Retail', 'Energy'):
        env['res.partner.industry'].create({'name': name})
    for name in ('Belgium', 'Chile'):
        env['res.country'].create({'name': name})
    for n in range(25):
        partners.create({
            'name': f'Customer {n}', 'website_published': n != 24,
            'assigned_partner_id': 1 if n != 23 else False,
            'website_description': 'solar panels' if n == 7 else '',
            'industry_id': 1 + n % 2, 'industry_name': '',
            'country_id': 1 if n < 20 else 2,
            'website_tag_ids': [1] if n % 5 == 0 else [],
        })  # fmt: skip
    env['res.partner.tag'].create(
        {'name': 'Gold', 'website_published': True, 'partner_ids': [1, 6]}
    )
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_request_method(lambda r: env, 'env', reify=True)
    config.add_request_method(lambda r: Website(), 'website', reify=True)
    config.add_request_method(render, 'render')
    config.add_request_method(redirect, 'redirect')
    config.include(include_model_converter)
    config.add_controller(WebsiteCustomer)
    return TestApp(config.make_wsgi_app()), env


def test_the_references_grouped_by_industry_and_country_and_paged():
    app, _ = make_app()
    template, values = page(app.get('/customers'))
    assert template == 'website_customer.index'
    assert len(values['partners']) == 20
    assert values['industries'] == [
        {'industry_id_count': 23, 'industry_id': [0, 'All Industries']},
        {'industry_id_count': 12, 'industry_id': [1, 'Banking']},
        {'industry_id_count': 11, 'industry_id': [2, 'Retail']},
    ]
    assert values['countries'][1:] == [
        {'country_id_count': 20, 'country_id': [1, 'Belgium']},
        {'country_id_count': 3, 'country_id': [2, 'Chile']},
    ]
    assert values['google_maps_api_key'] == 'maps-key'
    assert [p['num'] for p in values['pager']['pages']] == [1, 2]
    _, values = page(app.get('/customers/page/2'))
    assert values['partners'] == ['Customer 20', 'Customer 21', 'Customer 22']


def test_an_industry_and_a_country_by_slug_or_id_the_pager_by_id():
    app, _ = make_app()
    _, values = page(app.get('/customers/industry/retail-2/country/chile-2'))
    assert values['partners'] == ['Customer 21']
    assert (values['current_industry'], values['current_country']) == (
        'Retail',
        'Chile',
    )
    # an industry without references is listed, with none
    _, values = page(app.get('/customers/industry/3'))
    assert values['partners'] == []
    assert values['industries'][2] == {
        'industry_id_count': 0,
        'industry_id': [3, 'Energy'],
    }
    _, values = page(app.get('/customers/industry/1/page/1'))
    assert values['pager']['page']['url'] == '/customers/industry/1'
    app.get('/customers/industry/99', status=404)
    app.get('/customers/country/chile-2/page/x', status=404)


def test_a_search_and_a_tag_in_the_query_are_kept_by_the_pager():
    app, _ = make_app()
    _, values = page(app.get('/customers?search=SOLAR'))
    assert values['partners'] == ['Customer 7']
    assert values['search_path'] == '?search=SOLAR'
    _, values = page(app.get('/customers?tag_id=gold-1'))
    assert values['partners'] == [
        'Customer 0', 'Customer 5', 'Customer 10', 'Customer 15',
        'Customer 20',
    ]  # fmt: skip
    assert values['tag'] == 'Gold'
    assert values['tags'] == ['Gold']
    assert values['pager']['page']['url'] == '/customers?tag_id=gold-1'


def test_a_reference_at_its_slug_others_redirected_unpublished_a_404():
    app, _ = make_app()
    template, values = page(app.get('/customers/customer-3-4'))
    assert template == 'website_customer.details'
    assert values['partner'] == 'Customer 3'
    response = app.get('/customers/4', status=303)
    assert response.location == 'http://localhost/customers/customer-3-4'
    app.get('/customers/customer-24-25', status=404)
    app.get('/customers/nobody', status=404)
    app.get('/customers/99', status=404)


def test_the_sitemap_function_stays_on_the_class():
    _, env = make_app()
    locs = [u['loc'] for u in WebsiteCustomer.sitemap_industry(env, None, '')]
    assert locs[:2] == ['/customers', '/customers/industry/banking-1']
