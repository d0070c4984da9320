"""tw2.forms 2.2.6's ``FormPage``, ported (tests/ports/tw2_formpage.py):
the page shows its form, redisplays it with errors, or calls
``validated_request``."""

import re

import pytest
from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import always_allow
from tests.ports.tw2_formpage import Field, Form, FormPage


def email(value):
    return None if '@' in value else 'An email address must contain an @'


class ContactForm(Form):
    children = [
        Field('name', required=True),
        Field('email', required=True, validator=email),
        Field('phone'),
    ]
    submit_text = 'Send'


class Contact(FormPage):
    title = 'Contact us'
    child = ContactForm()


def make_app(**settings):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    config.add_widget(Contact(callback_authorization=always_allow))
    return TestApp(config.make_wsgi_app())


def token(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]


def test_page_id_is_the_class_name():
    assert Contact.id == 'contact'
    assert FormPage.id is None


def test_get_shows_the_form():
    page = make_app().get('/_widgets/contact/request')
    assert page.content_type == 'text/html'
    assert '<title>Contact us</title>' in page.text
    assert page.text.count('<input type="text"') == 3
    assert 'value="Send"' in page.text


def test_post_with_errors_redisplays_the_form():
    app = make_app()
    form = app.get('/_widgets/contact/request')
    reply = app.post(
        '/_widgets/contact/request',
        {'csrf_token': token(form), 'name': '<Ann>', 'email': 'nope'},
    )
    assert reply.status_int == 200
    assert 'value="&lt;Ann&gt;"' in reply.text
    assert 'An email address must contain an @' in reply.text
    assert reply.text.count('class="error"') == 1


@pytest.mark.parametrize(
    ('debug', 'expected'),
    [
        ('false', 'Form posted successfully'),
        (
            'true',
            "Form posted successfully {'name': 'Ann', "
            "'email': 'ann@example.com', 'phone': ''}",
        ),
    ],
)
def test_valid_post_calls_validated_request(debug, expected):
    app = make_app(**{'tw2.debug': debug})
    form = app.get('/_widgets/contact/request')
    reply = app.post(
        '/_widgets/contact/request',
        {
            'csrf_token': token(form),
            'name': 'Ann',
            'email': 'ann@example.com',
        },
    )
    assert reply.text == expected


def test_post_without_csrf_token_is_refused():
    make_app().post(
        '/_widgets/contact/request',
        {'name': 'Ann', 'email': 'ann@example.com'},
        status=400,
    )


def test_other_methods_are_refused():
    make_app().put('/_widgets/contact/request', status=405)
