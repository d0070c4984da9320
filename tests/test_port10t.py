"""The TurboGears porter's tenth pass (tgapp-smallpress,
tests/ports/tgapp_smallpress.py): what the port needed a workaround for,
or where the add-on failed silently or misled."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks import (
    Controller,
    Invalid,
    ServerSideCallbackMixin,
    always_allow,
    before_render,
    route,
    serverside_callback,
)


def template_stand_in(info):
    """A template renderer naming the template it renders."""
    name = info.name.split('.')[0]
    return lambda value, system: f'{name}: {sorted(value)}'


def check_article(request, params):
    if not (params.get('article') or '').isdigit():
        raise Invalid({'article': 'Invalid value'})
    return params


class Blog(Controller):
    @route('/', auth='public', renderer='index.tmpl')
    def index(self, **kw):
        return {'articles': [], 'errors': self.request.validation_errors}

    @route(
        '/view',
        auth='public',
        renderer='article.tmpl',
        validate=check_article,
        error_handler='index',
    )
    def view(self, article):
        return {'article': article}


def make_app(*classes):
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_renderer('.tmpl', template_stand_in)
    for cls in classes:
        config.add_controller(cls)
    return TestApp(config.make_wsgi_app())


def test_error_handler_answers_through_its_own_renderer():
    """``error_handler='index'`` of a route rendering another template
    (smallpress's ``view``, the article page) was a startup error saying
    to give both the same renderer, which would render the article with
    the index template; TurboGears renders an error handler with its own
    ``@expose``, and so does the port now."""
    app = make_app(Blog)
    assert app.get('/view?article=1').text == "article: ['article']"
    assert app.get('/view?article=x').text == "index: ['articles', 'errors']"


def cut_to_two(request, params, output):
    output['articles'] = output['articles'][:2]


def paginate(depth=0):
    """TurboGears' ``@paginate`` as a porter writes it: a function that
    applies the decorators for its caller."""

    def decorate(handler):
        return before_render(cut_to_two, _depth=depth)(handler)

    return decorate


class Manage(Controller):
    @route('/manage', auth='public', renderer='json')
    @paginate()
    def manage(self):
        return {'articles': [1, 2, 3]}


class Paged(Controller):
    @route('/paged', auth='public', renderer='json')
    @paginate(depth=1)
    def manage(self):
        return {'articles': [1, 2, 3]}


def scanning_app(ignore):
    config = Configurator()
    config.include('pyramid_hooks')
    ignore = [*ignore, 'Permissions', 'Api']  # a scan activates them all
    config.scan(__name__, ignore=[f'{__name__}.{name}' for name in ignore])
    return TestApp(config.make_wsgi_app())


def test_a_decorator_applied_inside_a_function_names_the_fix():
    """``before_render(...)(handler)`` run by a helper: venusian attached
    it where the helper runs, which no scan finds, and the refusal said
    to scan the module that had just been scanned."""
    with pytest.raises(ConfigurationError) as e:
        scanning_app(['Blog', 'Paged'])
    message = str(e.value)
    assert 'applied inside a function, where no scan' in message
    assert 'test_port10t.py' in message
    assert '_depth=1' in message
    assert 'scan its module' not in message
    page = scanning_app(['Blog', 'Manage']).get('/paged').json
    assert page == {'articles': [1, 2]}


class Tagging(Controller):
    @route('/search/<tag>', auth='public')
    def search(self, tag):
        return tag


def test_one_controller_under_two_prefixes_is_refused():
    """tgext.tagging's controller, activated by a scan under
    ``/smallpress`` then by ``add_controller`` under
    ``/smallpress/tagging``: the second activation was dropped silently,
    ``/smallpress/tagging/search/x`` a 404."""
    config = Configurator()
    config.include('pyramid_hooks')
    with config.route_prefix_context('/smallpress'):
        config.add_controller(Tagging)
    with config.route_prefix_context('/smallpress/tagging'):
        config.add_controller(Tagging)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value.evalue) if hasattr(e.value, 'evalue') else ''
    assert 'Tagging' in message
    assert '(route prefix /smallpress)' in message
    assert '(route prefix /smallpress/tagging)' in message
    assert 'test_port10t.py' in message
    assert 'ignore=' in message
    # twice under one prefix is once, as before
    config = Configurator()
    config.include('pyramid_hooks')
    for _ in range(2):
        with config.route_prefix_context('/smallpress/tagging/'):
            config.add_controller(Tagging)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/smallpress/tagging/search/news').text == 'news'


def check_name(request, params):
    if not params.get('name'):
        raise Invalid({'name': 'Enter a value'})
    return params


class Permissions(Controller):
    """tgapp-permissions' ``edit_permission(self, permission_id, **_)``,
    the error handler of ``update_permission(self, permission_id,
    **kwargs)``."""

    @route(
        '/edit_permission/<permission_id>',
        auth='public',
        renderer='json',
        csrf=False,  # it answers the POSTs of update_permission
    )
    def edit_permission(self, permission_id, **_):
        errors = getattr(self.request, 'validation_errors', {})
        return {'editing': permission_id, 'errors': errors}

    @route(
        ['/update_permission/<permission_id>', '/update_permission'],
        auth='public',
        renderer='json',
        validate=check_name,
        error_handler='edit_permission',
        csrf=False,
    )
    def update_permission(self, permission_id='', **kwargs):
        return {'updated': permission_id}


def test_controller_error_handler_takes_the_request_parameters():
    """It was refused at startup: "called ... with no argument but self;
    give its other parameters defaults", though a controller's error
    handler gets the failing request's parameters it accepts."""
    app = make_app(Permissions)
    assert app.post('/update_permission/3', {'name': ''}).json == {
        'editing': '3',
        'errors': {'name': 'Enter a value'},
    }
    assert app.post('/update_permission/3', {'name': 'x'}).json == {
        'updated': '3'
    }
    # one the request lacks is a 400, as for the handler itself
    resp = app.post('/update_permission', {'name': ''}, status=400)
    assert 'Missing parameter(s): permission_id' in resp.text


class Api(Controller):
    @route(
        '/rpc',
        type='json',
        auth='public',
        validate=check_name,
        error_handler='again',
    )
    def save(self, name=None, other=None):
        return 'saved'

    def again(self, other):
        return {'again': other}


def test_json_error_handler_missing_a_parameter_is_invalid_params():
    app = make_app(Api)
    call = {'jsonrpc': '2.0', 'id': 1, 'method': 'save', 'params': {}}
    call['params']['other'] = 'o'
    assert app.post_json('/rpc', call).json['result'] == {'again': 'o'}
    call['params'] = {}
    assert app.post_json('/rpc', call).json['error'] == {
        'code': -32602,
        'message': 'Invalid params',
        'data': {'message': 'Missing parameter(s): other'},
    }


class AjaxTab(ServerSideCallbackMixin):
    """tw2.jqplugins.ui's ajax tab: its controller returns the tab's HTML."""

    callback_authorization = always_allow

    @serverside_callback(request_method='GET')
    def tab(self, request):
        return '<p>tab</p>'


def test_a_callback_returning_html_text_is_told_of_a_response():
    """It was told ``renderer='json'``, which would answer the HTML as a
    JSON string."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_widget(AjaxTab(id='tabs'))
    app = TestApp(config.make_wsgi_app())
    with pytest.raises(TypeError) as e:
        app.get('/_widgets/tabs/tab')
    assert str(e.value).endswith(
        "returned '<p>tab</p>'; a callback must return a response "
        '(pyramid.response.Response), or name a renderer for what it '
        'returns: Response(html) for HTML, @serverside_callback(renderer='
        "'string') for plain text"
    )
