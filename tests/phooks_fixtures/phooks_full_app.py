"""A fixture application for ``phooks`` that uses every feature."""

from pyramid.config import Configurator
from pyramid.response import Response
from pyramid.security import Allowed
from pyramid.settings import asbool

from pyramid_hooks import (
    ApplicationWrapper,
    Invalid,
    ServerSideCallbackMixin,
    always_allow,
    before_call,
    before_render,
    listener,
    serverside_callback,
)
from pyramid_hooks.controllers import Controller, route


def stamp(request, params, output):
    output['stamped'] = True


def audit(request, response):
    response.headers['X-Audit'] = '1'


def log_call(request, params):
    request.environ['fixture.called'] = True


def picked(request, params):
    request.environ['fixture.picked'] = True


def only_home(request, params):
    request.environ['fixture.home'] = True


def sent(message):
    return None


def subject(value, message):
    return value


def page_seen(request):
    request.environ['fixture.page_seen'] = True


def as_json(request):
    return {'format': 'json'}


def as_html(request):
    return '<p>html</p>'


class RequestId(ApplicationWrapper):
    def __call__(self, request):
        response = self.next_handler(request)
        response.headers['X-Request-Id'] = '1'
        return response


class Outer(RequestId):
    pass


class Inner(RequestId):
    pass


class Inner2(RequestId):
    pass


class Disabled(RequestId):
    @property
    def injected(self):
        return False


def oops(exc, request):
    return {'error': str(exc)}


class Picker(ServerSideCallbackMixin):
    id = 'picker'

    def callback_authorization(self, callback, request):
        return Response(status=200)

    @serverside_callback(request_method=('GET', 'POST'), permission='view')
    def choices(self, request):
        return Response('choices')

    @serverside_callback(
        require_csrf=False, authorization=always_allow, renderer='json'
    )
    def ping(self, request):
        return {'pong': True}


class Clock(ServerSideCallbackMixin):
    id = 'clock'

    @serverside_callback(validate='phooks_full_app.check_form')
    def now(self, request):
        return Response('now')


def staff_only(request):
    return None


class Shop(Controller):
    @route('/shop', auth='public', renderer='json', methods=['GET'])
    def index(self):
        return {'shop': True}

    @route('/shop/api', type='json', cors='*')
    def price(self, item):
        return 1

    @route('/shop/secret', auth='staff')
    def secret(self):
        return 'secret'


class ShopExtension(Shop):
    @route(['/shop', '/store'], permission='view')
    def index(self):
        return super().index()

    def secret(self):
        return 'unpublished'


def timing(next_caller, info):
    return next_caller


def settings_wrapper(next_caller):
    return next_caller


def scoped_wrapper(next_caller):
    return next_caller


def option_wrapper(next_caller):
    return next_caller


def check_form(request, params):
    if 'name' not in params:
        raise Invalid({'name': 'required'})
    return params


def form_error(request):
    return {'errors': request.validation_errors}


@listener('new_request')
def on_new_request(request):
    request.environ['fixture.new_request'] = True


@before_call(log_call)
@before_render(stamp)
def home(request):
    return {'page': 'home'}


def form(request):
    return {'ok': True}


class Pages:
    def __init__(self, request):
        self.request = request

    def about(self):
        return {'page': 'about'}

    def contact(self):
        return {'page': 'contact'}


class EveryonePolicy:
    """A security policy permitting everything: the callback's and the
    shop's ``permission='view'`` mean something (a callback's
    ``permission=`` without a policy is refused at startup)."""

    def identity(self, request):
        return None

    def authenticated_userid(self, request):
        return None

    def permits(self, request, context, permission):
        return Allowed('everyone')

    def remember(self, request, userid, **kw):
        return []  # pragma: no cover

    def forget(self, request, **kw):
        return []  # pragma: no cover


def main(global_config, **settings):
    introspection = asbool(settings.pop('fixture.introspection', True))
    config = Configurator(settings=settings, introspection=introspection)
    config.set_security_policy(EveryonePolicy())
    config.include('pyramid_hooks')
    config.include('pyramid_hooks.config.introspection')
    settings = config.registry.settings
    settings['fixture.script'] = global_config.get('__script__')
    config.add_hook_namespace('mailer')
    config.add_hook('sent', args=('message',), namespace='mailer')
    config.register_hook('sent', sent, namespace='mailer')
    config.add_hook(
        'subject',
        args=('message',),
        namespace='mailer',
        value=True,
        trap_exceptions=True,
    )
    config.add_hook('bounced', args=(), namespace='mailer')
    config.register_hook('subject', subject, namespace='mailer')
    config.register_hook('page_seen', page_seen)
    config.register_hook('before_call', only_home, route_name='home')
    config.register_hook('after_render', audit)
    config.add_controller_wrapper(timing)
    config.add_controller_wrapper(scoped_wrapper, view=Pages.about)
    config.add_application_wrapper(Outer, after=True)
    config.add_application_wrapper(Inner, after=False)
    config.add_application_wrapper(Disabled, after='request-id')
    config.add_application_wrapper(RequestId, name='request-id')
    config.add_route('home', '/')
    config.add_route('form', '/form')
    config.add_route('pages', '/pages/{page}')
    config.add_view(home, route_name='home', renderer='json')
    config.add_view(
        form,
        route_name='form',
        renderer='json',
        request_method='POST',
        validate=check_form,
        error_handler=form_error,
        controller_wrappers=[option_wrapper],
    )
    config.add_view(
        Pages,
        attr='about',
        route_name='pages',
        renderer='json',
        match_param='page=about',
    )
    config.add_view(
        Pages,
        attr='contact',
        route_name='pages',
        renderer='json',
        match_param='page=contact',
    )
    config.add_route('data', '/data')
    config.add_view(
        as_json, route_name='data', renderer='json', accept='application/json'
    )
    config.add_view(
        as_html, route_name='data', renderer='string', accept='text/html'
    )
    config.add_exception_view(oops, context=ValueError, renderer='json')
    config.register_hook('after_render', audit, view=oops)
    config.add_controller_auth('staff', staff_only)
    config.add_controller(Shop)
    config.add_controller(ShopExtension)
    config.add_widget(Picker())
    config.add_widget(Clock())
    config.register_hook('before_call', picked, view=Picker.choices)
    config.add_controller_wrapper(scoped_wrapper, view=Shop.index)
    config.scan(__name__)
    return config.make_wsgi_app()
