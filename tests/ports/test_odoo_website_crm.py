"""Odoo's CRM extension of the website's form, ported
(tests/ports/odoo_website_crm.py): a lead's phone numbers formatted for
the visitor's country before the parent makes the lead, its state
guessed from GeoIP, the lead linked to the visitor and to its partner."""

from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from tests.ports.odoo_fakes import Record, Visitors
from tests.ports.odoo_website_crm import WebsiteCrmForm
from tests.ports.odoo_website_form import WebsiteForm
from tests.ports.policies import UserHeaderPolicy as Policy
from tests.ports.test_odoo_website_form import SECRET, make_env, result


class Subdivision:
    def __init__(self, iso_code):
        self.iso_code = iso_code


class GeoIP:
    """``request.geoip``: the country and state from the headers."""

    def __init__(self, request):
        self.country_code = request.headers.get('X-Country')
        state = request.headers.get('X-State')
        self.subdivisions = [Subdivision(state)] if state else []


def make_app(controller=WebsiteCrmForm):
    env = make_env()
    lead = env['ir.model'].search([('model', '=', 'crm.lead')])[0]
    for name, kind in [('phone', 'char'), ('mobile', 'char'),
                       ('contact_name', 'char'), ('country_id', 'many2one'),
                       ('state_id', 'many2one')]:  # fmt: skip
        lead.fields[name] = {'type': kind, 'required': False}
    env['crm.lead']._phone_get_number_fields = lambda: ['phone', 'mobile']
    be = env['res.country'].create({'code': 'BE', 'phone_code': 32})
    us = env['res.country'].create({'code': 'US', 'phone_code': 1})
    env['res.country.state'].create({'code': 'NY', 'country_code': 'US'})
    env['website.visitor'] = Visitors('website.visitor')
    partner = Record(id=7, email='Ann@Example.com', phone='0470 12 34 56',
                     phone_code=32, country_id=be)  # fmt: skip
    env['website.visitor'].create({'partner_id': partner, 'lead_ids': []})
    env['website.visitor'].create({'partner_id': None, 'lead_ids': []})
    env.company = Record(
        id=1, name='YourCompany', email='info@example.com', country_id=us
    )
    config = Configurator(settings={'website_form.secret': SECRET})
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_fakes')
    config.add_request_method(GeoIP, 'geoip', reify=True)
    config.set_session_factory(SignedCookieSessionFactory(SECRET))
    config.set_security_policy(Policy())
    config.registry.odoo_env = env
    config.add_controller(controller)
    return TestApp(config.make_wsgi_app()), env


def post(app, fields, **headers):
    return app.post(
        '/website/form/crm.lead',
        {'recaptcha_token_response': 'human', **fields},
        headers=headers,
    )


def test_the_phones_formatted_for_the_form_s_country_or_the_visitor_s():
    app, env = make_app()
    # the form's country
    fields = {'name': 'Ann', 'phone': '0470 11 22 33', 'country_id': '1',
              'mobile': '+32470445566'}  # fmt: skip
    assert result(post(app, fields)) == {'id': 1}
    lead = env['crm.lead'].browse(1)
    assert (lead.phone, lead.mobile) == ('+32 470112233', '+32470445566')
    # no country in the form: GeoIP's
    post(app, {'name': 'Bob', 'phone': '555 0100'}, **{'X-Country': 'US'})
    assert env['crm.lead'].browse(2).phone == '+1 5550100'
    # the visitor's partner's country comes first
    post(
        app, {'name': 'Cy', 'phone': '02 555 01 00'},
        **{'X-Country': 'US', 'X-Visitor': '1'},
    )  # fmt: skip
    assert env['crm.lead'].browse(3).phone == '+32 25550100'
    # no country at all: kept as it is
    post(app, {'name': 'Di', 'phone': '02 555'})
    assert env['crm.lead'].browse(4).phone == '02 555'


def test_the_state_from_geoip_unless_the_form_gives_one():
    app, env = make_app()
    post(app, {'name': 'Ann'}, **{'X-Country': 'US', 'X-State': 'NY'})
    assert env['crm.lead'].browse(1).state_id == 1
    post(app, {'name': 'Bob'}, **{'X-Country': 'US', 'X-State': 'CA'})
    assert not hasattr(env['crm.lead'].browse(2), 'state_id')
    post(
        app, {'name': 'Cy', 'state_id': '9'},
        **{'X-Country': 'US', 'X-State': 'NY'},
    )  # fmt: skip
    assert env['crm.lead'].browse(3).state_id == 9


def test_the_lead_linked_to_the_visitor_and_its_partner():
    app, env = make_app()
    fields = {'name': 'Ann', 'email_from': 'ann@example.com',
              'phone': '0470 12 34 56', 'contact_name': 'Ann A.'}  # fmt: skip
    post(app, fields, **{'X-Visitor': '1'})
    lead = env['crm.lead'].browse(1)
    assert lead.lang_id == 'en'  # request.locale_name
    # the same phone, formatted alike: the partner is the lead's
    assert (lead.partner_id, lead.company_id) == (7, 1)
    assert env['website.visitor'].browse(1).lead_ids == [1]
    # another phone: no partner, the lead is the visitor's still
    post(app, {**fields, 'phone': '0499 00 00 00'}, **{'X-Visitor': '1'})
    assert not hasattr(env['crm.lead'].browse(2), 'partner_id')
    assert env['website.visitor'].browse(1).lead_ids == [1, 2]
    # a visitor without partner nor lead is named after the contact
    post(app, fields, **{'X-Visitor': '2'})
    assert env['website.visitor'].browse(2).name == 'Ann A.'
    # a form that does not convert is the parent's to report
    response = post(app, {'name': 'Eve', 'country_id': 'x', 'phone': '1'})
    assert result(response) == {'error_fields': ['country_id']}


class WritesThePost(WebsiteCrmForm):
    """``request.params.update(...)`` ported as a change of WebOb's
    ``request.POST``, which is not read-only."""

    def _handle_website_form(self, model_name, **kwargs):
        self.request.POST['phone'] = '+32 470112233'
        return WebsiteForm._handle_website_form(self, model_name, **kwargs)


def test_a_change_of_request_post_does_not_reach_the_parent_s_arguments():
    """docs/porting_odoo.rst's row: the handler's arguments were read
    before, so the parent makes the lead with the phone as posted."""
    app, env = make_app(WritesThePost)
    post(app, {'name': 'Ann', 'phone': '0470 11 22 33'})
    assert env['crm.lead'].browse(1).phone == '0470 11 22 33'
