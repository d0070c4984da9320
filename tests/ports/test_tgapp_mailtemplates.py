"""tgapp-mailtemplates 0.16.0, ported (tests/ports/tgapp_mailtemplates.py):
the behaviour of its ``tests/test_controller.py``."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.scripting import prepare
from pyramid.security import Allowed, Denied
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

import pyramid_hooks
from tests.ports import tgapp_mailtemplates as mt
from tests.ports import tgext_mailer
from tests.ports.policies import GroupsHeaderPolicy

MANAGER = {'X-User': 'manager', 'X-Groups': 'mailtemplates'}
USER = {'X-User': 'user'}
TRANSLATION = {
    'language': 'IT',
    'subject': 'Ciao ${name}',
    'body': '<div>Ciao ${name}</div>',
}


class PermissionPolicy(GroupsHeaderPolicy):
    """repoze.what's ``has_permission``: the group of that name."""

    def permits(self, request, context, permission):
        identity = self.identity(request)
        if identity and permission in identity['groups']:
            return Allowed('in the group')
        return Denied('not in the group')


def make_app(**options):
    options.setdefault('async_sender', None)
    config = Configurator(settings={'mail.debugmailer': 'dummy'})
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    config.set_security_policy(PermissionPolicy())
    provider = mt.Provider()

    def keep(request):
        request.registry.last_mailer = tgext_mailer.get_mailer(request)

    config.register_hook('request_finished', keep)
    mt.plugme(config, provider=provider, **options)
    app = TestApp(pyramid_hooks.make_wsgi_app(config))
    model = provider.create(mt.MailModel, {'name': 'Email', 'usage': 'Usage'})
    provider.create(
        mt.TemplateTranslation,
        {
            'language': 'EN',
            'mail_model': model,
            'subject': 'Subject',
            'body': '<div>${name}</div>',
        },
    )
    return app, provider


def token(app):
    page = app.get('/mailtemplates/new_model', headers=MANAGER)
    return page.json['form']['csrf_token']


def post(app, path, status=None, **values):
    values['csrf_token'] = token(app)
    return app.post(
        '/mailtemplates/' + path, values, headers=MANAGER, status=status
    )


def test_index():
    app, _ = make_app()
    for path in ('/mailtemplates', '/mailtemplates/', '/mailtemplates/index'):
        page = app.get(path, headers=MANAGER).json
        assert page['template'] == 'mailtemplates:templates/index.kajiki'
        assert page['mail_models'] == [
            {'_id': 1, 'name': 'Email', 'usage': 'Usage'}
        ]


def test_allow_only():
    """``allow_only = has_permission('mailtemplates')``: a user without it
    is refused every page, validation failing or not; an anonymous one
    too (a 403 here, repoze.who's 401 there)."""
    app, _ = make_app()
    app.get('/mailtemplates', headers=USER, status=403)
    app.get('/mailtemplates', status=403)
    app.get(
        '/mailtemplates/new_translation?model_id=1', headers=USER, status=403
    )
    app.get('/mailtemplates/validate_template', headers=USER, status=403)


def test_new_and_edit_translation():
    app, _ = make_app()
    page = app.get(
        '/mailtemplates/new_translation?model_id=1', headers=MANAGER
    ).json
    assert page['values'] == {'model_id': '1'}
    assert page['form']['action'] == '/mailtemplates/create_translation'
    page = app.get(
        '/mailtemplates/edit_translation?translation_id=1', headers=MANAGER
    ).json
    assert page['values']['subject'] == 'Subject'
    assert page['form']['action'] == '/mailtemplates/update_translation'
    app.get(
        '/mailtemplates/edit_translation?translation_id=9',
        headers=MANAGER,
        status=404,
    )


def test_create_translation():
    app, provider = make_app()
    res = post(app, 'create_translation', model_id='1', **TRANSLATION)
    assert res.status_int == 302
    assert res.location == 'http://localhost/mailtemplates'
    assert 'Translation created.' in res.follow(headers=MANAGER).json['flash']
    _, found = provider.query(mt.TemplateTranslation, {'language': 'IT'})
    assert found[0].mail_model.name == 'Email'
    post(app, 'create_translation', status=404, model_id='7', **TRANSLATION)


def test_create_translation_refused_redisplays_the_input():
    """tw2 redisplays what was typed and the errors; the port's error
    handler passes them to the page."""
    app, _ = make_app()
    page = post(
        app,
        'create_translation',
        model_id='1',
        language='EN',  # taken
        subject='Hi ${name',
        body='<div>',
    ).json
    assert page['template'] == 'mailtemplates:templates/new_translation.kajiki'
    assert page['errors'] == {
        'subject': 'Template not valid.',
        'body': 'Template not valid.',
    }
    assert page['values'] == {
        'model_id': '1',
        'language': 'EN',
        'subject': 'Hi ${name',
        'body': '<div>',
    }
    # the fields passed: the form's own validator speaks
    page = post(
        app,
        'create_translation',
        model_id='1',
        language='EN',
        subject='x',
        body='<p/>',
    ).json
    assert page['errors'] == {
        'language': 'Template for this language already created.'
    }


def test_update_translation():
    app, provider = make_app()
    res = post(
        app,
        'update_translation',
        translation_id='1',
        model_id='1',
        language='EN',
        subject='New',
        body='<p>new</p>',
    )
    assert res.status_int == 302
    _, (tr,) = provider.query(mt.TemplateTranslation, {'_id': 1})
    assert (tr.subject, tr.body) == ('New', '<p>new</p>')
    post(
        app,
        'update_translation',
        status=404,
        translation_id='9',
        model_id='1',
        language='DE',
        subject='',
        body='',
    )


def test_update_translation_already_in():
    app, _provider = make_app()
    post(app, 'create_translation', model_id='1', **TRANSLATION)
    page = post(
        app,
        'update_translation',
        translation_id='1',
        model_id='1',
        language='IT',
        subject='x',
        body='<p/>',
    ).json
    assert page['errors'] == {
        'language': 'Template for this language already created.'
    }
    assert page['values']['language'] == 'IT'  # what was typed


def test_new_and_create_model():
    app, provider = make_app(default_language='IT')
    page = app.get('/mailtemplates/new_model', headers=MANAGER).json
    assert page['values'] == {'language': 'IT'}
    res = post(
        app, 'create_model', name='Welcome', usage='On signup', **TRANSLATION
    )
    assert res.status_int == 302
    _, (model,) = provider.query(mt.MailModel, {'name': 'Welcome'})
    assert model.usage == 'On signup'
    page = post(
        app, 'create_model', name='Welcome', usage='', **TRANSLATION
    ).json
    assert page['errors'] == {
        'name': 'Model with this name already created.',
        'usage': 'Please enter a value',
    }


def test_test_email_and_send_test_email():
    app, _provider = make_app()
    values = {
        'translation_id': '1',
        'model_id': '1',
        'language': 'EN',
        'subject': 'Hi ${name}',
        'body': '<div>${name}</div>',
    }
    page = post(app, 'test_email', **values).json
    assert page['form']['action'] == '/mailtemplates/send_test_email'
    # test_email's error handler: the translation's edit page
    page = post(app, 'test_email', **dict(values, body='<div>')).json
    assert page['form']['action'] == '/mailtemplates/update_translation'
    # send_test_email's: test_email's page, with the refused values
    page = post(app, 'send_test_email', **dict(values, email='nope')).json
    assert page['form']['action'] == '/mailtemplates/send_test_email'
    assert page['errors'] == {'email': 'Must be a valid email address'}
    assert page['values']['subject'] == 'Hi ${name}'
    page = post(app, 'send_test_email', **dict(values, email='a@b.org')).json
    assert page['flash'] == ['Test email sent to a@b.org']
    assert page['form']['action'] == '/mailtemplates/update_translation'
    (mail,) = app.app.registry.last_mailer.outbox  # the request's
    assert mail.recipients == ['a@b.org']
    assert mail.subject == 'Hi $${name}'  # the original doubles each $
    assert mail.html == '<div>name</div>'  # TemplateFiller: the name


def test_edit_and_update_description():
    app, provider = make_app()
    page = app.get(
        '/mailtemplates/edit_description?model_id=1', headers=MANAGER
    ).json
    assert page['values'] == {'model_id': '1', 'description': 'Usage'}
    app.get(
        '/mailtemplates/edit_description?model_id=5',
        headers=MANAGER,
        status=404,
    )
    res = post(app, 'update_description', model_id='1', description='New')
    assert res.status_int == 302
    _, (model,) = provider.query(mt.MailModel, {'_id': 1})
    assert model.usage == 'New'
    post(app, 'update_description', status=404, model_id='4', description='x')


def test_validate_templates():
    app, _ = make_app()
    page = post(app, 'validate_template', model_id='1', **TRANSLATION).json
    assert page['flash'] == ['Email template valid.']
    page = post(
        app,
        'validate_template_edit',
        translation_id='1',
        model_id='1',
        **TRANSLATION,
    ).json
    assert page['flash'] == ['Email template valid.']
    page = post(
        app, 'validate_template_model', name='N', usage='u', **TRANSLATION
    ).json
    assert page['flash'] == ['Email template valid.']
    page = post(
        app, 'validate_template', model_id='1', **dict(TRANSLATION, body='<a>')
    ).json
    assert page['errors'] == {'body': 'Template not valid.'}


def test_a_post_without_csrf_token():
    app, _ = make_app()
    app.post(
        '/mailtemplates/create_translation',
        TRANSLATION,
        headers=MANAGER,
        status=400,
    )


def test_send_email():
    app, _ = make_app()
    registry = app.app.registry
    with prepare(registry=registry) as env:  # a script's request
        request = env['request']
        request._mailer = registry._mailer  # the global one
        mt.send_email(
            request, ['a@b.org'], 'me@x.org', 'Email', data={'name': 'Marco'}
        )
    (mail,) = registry._mailer.outbox
    assert (mail.subject, mail.html) == ('Subject', '<div>Marco</div>')
    with pytest.raises(mt.MailTemplatesError, match="'Nope' not found"):
        mt.send_email(request, ['a@b.org'], 'me@x.org', 'Nope')
    with pytest.raises(mt.MailTemplatesError, match='Translation for'):
        mt.send_email(
            request, ['a@b.org'], 'me@x.org', 'Email', translation='DE'
        )


def test_send_email_async():
    app, _ = make_app(async_sender='tgext.asyncjob')
    registry = app.app.registry
    queue = registry.getUtility(mt.tgext_asyncjob.IAsyncJobQueue)
    with prepare(registry=registry) as env:
        mt.send_email(
            env['request'],
            ['a@b.org'],
            'me@x.org',
            'Email',
            data={'name': 'Async'},
            send_async=True,
        )
    queue.queue.join()
    queue.stop()
    (mail,) = registry._mailer.outbox  # the global mailer, in the worker
    assert mail.html == '<div>Async</div>'


def test_unknown_async_sender():
    with pytest.raises(ConfigurationError, match=r'tgext\.celery'):
        make_app(async_sender='tgext.celery')
