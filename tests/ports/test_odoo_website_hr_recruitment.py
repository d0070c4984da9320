"""Odoo's recruitment website, ported
(tests/ports/odoo_website_hr_recruitment.py): an extension of the
website form controller, the jobs paged with the query kept, old URLs
redirected, the application posted through the form, a JSON check of
recent applications whose handler takes no ``**kw``."""

from datetime import datetime, timedelta

import pytest
from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from tests.ports.odoo_fakes import Record, page
from tests.ports.odoo_website_form import WebsiteForm
from tests.ports.odoo_website_hr_recruitment import WebsiteHrRecruitment
from tests.ports.test_odoo_website_form import (
    SECRET,
    Policy,
    Token,
    make_env,
    post,
    result,
)


class Applicants:
    """hr.applicant's ``website_form_input_filter``: the applicant's
    record named for the job."""

    def website_form_input_filter(self, request, values):
        values['name'] = f"{values.get('partner_name')}'s Application"
        return values


def make_app(*controllers):
    env = make_env()
    applicants = env['hr.applicant']
    applicants.website_form_input_filter = (
        Applicants().website_form_input_filter
    )
    env['ir.model'].create({
        'model': 'hr.applicant', 'name': 'Applicant',
        'website_form_access': True,
        'website_form_default_field_id': Record(
            name='applicant_notes', ttype='html'),
        'fields': {
            'partner_name': {'type': 'char', 'required': True},
            'email_from': {'type': 'char', 'required': True},
            'job_id': {'type': 'many2one', 'required': False},
        },
    })  # fmt: skip
    env['res.country'].create({'name': 'Belgium', 'code': 'BE'})
    env['res.country'].create({'name': 'India', 'code': 'IN'})
    env['hr.department'].create({'name': 'R&D'})
    for n in range(14):
        env['hr.job'].create({
            'name': f'Developer {n}', 'is_published': True, 'sequence': n,
            'country_id': 1 if n % 2 else 2, 'department_id': 1,
        })  # fmt: skip
    config = Configurator(settings={'website_form.secret': SECRET})
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_fakes')
    config.include('tests.ports.odoo_fakes.include_model_converter')
    config.include('tests.ports.odoo_auth_signup')  # request.redirect
    config.set_session_factory(SignedCookieSessionFactory(SECRET))
    config.set_security_policy(Policy())
    config.registry.odoo_env = env
    for controller in controllers or (WebsiteHrRecruitment,):
        config.add_controller(controller)
    config.add_controller(Token)
    return TestApp(config.make_wsgi_app()), env


def call(app, url, headers=None, **params):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    return app.post_json(url, body, headers=headers or {}).json


def test_the_jobs_of_the_visitors_country_paged_with_the_query_kept():
    app, _env = make_app()
    template, values = page(app.get('/jobs', headers={'X-Country': 'BE'}))
    assert template == 'website_hr_recruitment.index'
    assert values['country_id'] == 'Belgium'
    assert values['search_count'] == 7
    _t, values = page(app.get('/jobs?all_countries=1'))
    assert values['search_count'] == 14
    assert len(values['jobs']) == 12
    assert values['pager']['pages'][1]['url'] == (
        '/jobs/page/2?all_countries=1'
    )
    _t, values = page(app.get('/jobs/page/2?all_countries=1'))
    assert values['jobs'] == ['Developer 12', 'Developer 13']
    assert values['pager']['page']['url'] == '/jobs/page/2?all_countries=1'
    _t, values = page(app.get('/jobs?department_id=1&search=developer 1'))
    assert values['jobs'][:2] == ['Developer 1', 'Developer 10']


def test_a_job_its_old_url_and_a_new_one():
    app, _env = make_app()
    template, values = page(app.get('/jobs/developer-0-1'))
    assert (template, values['job']) == (
        'website_hr_recruitment.detail',
        'Developer 0',
    )
    response = app.get('/jobs/detail/1', status=301)
    assert response.location == 'http://localhost/jobs/developer-0-1'
    body = call(app, '/jobs/add', headers={'X-User': 'hr'})
    assert body['result'] == '/jobs/job-title-15'
    assert call(app, '/jobs/add')['error']['code'] == -32001


def test_the_old_filter_urls_redirect_to_the_query():
    app, _env = make_app()
    with pytest.warns(DeprecationWarning, match='since Odoo 16.3'):
        response = app.get('/jobs/country/belgium-1/office/3?x=1', status=301)
    assert response.location == (
        'http://localhost/jobs?country_id=1&office_id=3&x=1'
    )
    with pytest.warns(DeprecationWarning):
        response = app.get('/jobs/department/1', status=301)
    assert response.location == 'http://localhost/jobs?department_id=1'


def test_applying_through_the_form_of_the_base_controller():
    """The extension serves its base's form: the captcha, the model's
    input filter, the fields the model lacks in its notes."""
    app, env = make_app()
    response = post(
        app,
        'hr.applicant',
        {'partner_name': 'Ann', 'email_from': 'ann@example.com',
         'job_id': '3', 'Motivation': 'Pyramid'},
    )  # fmt: skip
    assert result(response) == {'id': 1}
    applicant = env['hr.applicant'].browse(1)
    assert (applicant.name, applicant.job_id) == ("Ann's Application", 3)
    assert 'Motivation : Pyramid' in applicant.applicant_notes
    response = app.post('/website/form/hr.applicant', {'partner_name': 'Bot'})
    assert result(response) == {
        'error': 'Suspicious activity detected by Google'
    }


def test_the_apply_page_shows_the_errors_left_in_the_session():
    app, _env = make_app()
    _t, values = page(app.get('/jobs/apply/1'))
    assert (values['error'], values['default']) == ({}, {})


def test_a_recent_application_is_told():
    app, env = make_app()
    url = '/website_hr_recruitment/check_recent_application'
    applicants = env['hr.applicant']
    now = datetime.now()
    applicants.create({
        'partner_name': 'Ann', 'email_normalized': 'ann@example.com',
        'job_id': 1, 'application_status': 'refused', 'create_date': now,
    })  # fmt: skip
    applicants.create({
        'partner_name': 'Bob', 'email_normalized': 'bob@example.com',
        'job_id': 2, 'application_status': 'ongoing',
        'create_date': now - timedelta(days=400),
    })  # fmt: skip
    message = call(app, url, field='email', value='ANN@example.com', job_id=1)
    assert 'have been rejected' in message['result']['message']
    message = call(app, url, field='name', value='bob', job_id='2')
    assert message['result']['message'].startswith(
        'An application already exists for bob.'
    )
    message = call(app, url, field='name', value='Bob', job_id=1)
    assert 'another position' in message['result']['message']
    message = call(app, url, field='linkedin', value='x', job_id=1)
    assert message['result'] == {'message': None}
    # Odoo drops what the handler does not take; here it is -32602
    body = call(app, url, field='name', value='x', job_id=1, lang='fr')
    assert body['error']['code'] == -32602


def test_the_form_alone_and_its_extension_serve_the_same_form():
    app, _env = make_app(WebsiteForm)
    response = post(app, 'crm.lead', {'name': 'Ann'})
    assert result(response) == {'id': 1}
    app.get('/jobs', status=404)
