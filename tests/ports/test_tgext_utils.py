"""tgext.utils 0.0.4, ported (tests/ports/tgext_utils.py): its decorators
on controller handlers, the CSRF cookie, meta tags, slugs and storage."""

import os

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks import Controller, route
from tests.ports.tgext_utils import (
    EXPIRED,
    ajax_expose,
    ajax_only,
    csrf_protect,
    csrf_token,
    metatags,
    slug2entityid,
    slugify,
    store,
)

XHR = {'X-Requested-With': 'XMLHttpRequest'}


def renderer(kind):
    def factory(info):
        def render(value, system):
            system['request'].response.content_type = 'text/html'
            head = system['metatags'](title=value['title'])
            return f'<{kind}>{head}|{value["title"]}</{kind}>'

        return render

    return factory


class Pages(Controller):
    @csrf_token
    @route('/form', auth='public')
    def form(self):
        return (
            '<form method="POST" action="/post_form">'
            '<input type="hidden" name="_csrf_token" '
            f'value="{self.request.csrf_token}"></form>'
        )

    @csrf_token
    @route('/own', auth='public')
    def own(self):
        """A handler's own response: the listener's cookie is not on it."""
        return self.request.make_response(self.request.csrf_token)

    @csrf_protect
    @route('/post_form', methods=['POST'], auth='public', csrf=False)
    def post_form(self, **kw):
        return 'OK!'

    @ajax_only
    @route('/partial', auth='public', renderer='json')
    def partial(self):
        return {'ok': True}

    @ajax_expose('x.partial')
    @route('/page', auth='public', renderer='x.page')
    def page(self):
        return {'title': 'Tom & "Jerry"'}

    @route('/entity/<slug:entity_id>', auth='public', renderer='json')
    def entity(self, entity_id):
        return {'id': entity_id}

    @route('/upload', methods=['POST'], auth='public', csrf=False)
    def upload(self, data):
        return store(self.request, data)


def make(**settings):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.include('tests.ports.tgext_utils')
    config.add_renderer('.page', renderer('page'))
    config.add_renderer('.partial', renderer('partial'))
    config.scan(__name__)
    return TestApp(config.make_wsgi_app())


@pytest.fixture
def app(tmp_path):
    return make(
        **{'csrf.secret': 'x' * 32, 'tgext_utils.storage': str(tmp_path)}
    )


def test_csrf_token_then_protect(app):
    form = app.get('/form')
    assert form.headers['Cache-Control'] == (
        'no-cache, max-age=0, must-revalidate, no-store'
    )
    assert 'Max-Age=600' in form.headers['Set-Cookie']
    token = form.forms[0]['_csrf_token'].value
    assert form.forms[0].submit().text == 'OK!'
    again = app.get('/form')  # the token reused, its cookie renewed
    assert again.forms[0]['_csrf_token'].value == token
    assert 'Set-Cookie' in again.headers


def test_cookie_not_on_a_response_the_handler_makes(app):
    got = app.get('/own')
    assert len(got.text) == 64
    assert 'Set-Cookie' not in got.headers


def test_csrf_protect_refuses(app):
    fresh = TestApp(app.app)
    refused = fresh.post('/post_form', {'_csrf_token': 'x'}, status=403)
    assert EXPIRED in refused.text  # no cookie
    app.get('/form')
    refused = app.post('/post_form', {'_csrf_token': 'wrong'}, status=403)
    assert EXPIRED in refused.text
    assert '_csrf_token=;' in refused.headers['Set-Cookie']  # deleted
    app.post('/post_form', {'_csrf_token': 'wrong'}, status=403)  # gone


def test_forged_cookie_is_no_token(app):
    app.set_cookie('_csrf_token', 'abc')
    app.post('/post_form', {'_csrf_token': 'abc'}, status=403)


def test_csrf_secret_required():
    with pytest.raises(ConfigurationError, match=r'csrf\.secret'):
        make()


def test_ajax_only(app):
    app.get('/partial', status=400)
    assert app.get('/partial', headers=XHR).json == {'ok': True}


def test_ajax_expose_and_metatags(app):
    page = app.get('/page').text
    assert page.startswith('<page><meta property="og:title" ')
    assert (
        '<meta itemprop="name" content="Tom &amp; &quot;Jerry&quot;"/>' in page
    )
    assert app.get('/page', headers=XHR).text.startswith('<partial>')


def test_metatags_and_slugs():
    tags = metatags({'description': 'a<b'}, image='i.png').split('\n')
    assert tags[0] == '<meta property="og:description" content="a&lt;b"/>'
    assert tags[-1] == '<meta itemprop="image" content="i.png"/>'
    assert slugify(7, 'Héllo, World!  now') == 'hello-world-now-7'
    assert slug2entityid('hello-world-7') == '7'


def test_slug_converter(app):
    assert app.get('/entity/hello-world-7').json == {'id': 7}
    app.get('/entity/hello', status=404)


def test_store(app, tmp_path):
    path = app.post(
        '/upload', upload_files=[('data', '../../evil name.txt', b'x' * 9000)]
    ).text
    assert os.path.dirname(os.path.dirname(path)) == str(tmp_path)
    assert os.path.basename(path) == 'evil_name.txt'
    with open(path, 'rb') as stored:
        assert stored.read() == b'x' * 9000
