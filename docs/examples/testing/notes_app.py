"""testing.rst: the application the chapter's tests drive, a small notes
service with one piece of each kind."""

from pyramid.config import Configurator
from pyramid.response import Response
from pyramid.session import SignedCookieSessionFactory

from pyramid_hooks import (
    ApplicationWrapper,
    Controller,
    Invalid,
    ServerSideCallbackMixin,
    always_allow,
    route,
    serverside_callback,
)


def add_version(request, params, output):
    """A ``before_render`` listener: only dicts get the version."""
    if isinstance(output, dict):
        output['version'] = request.registry.settings.get('notes.version')


def check_title(request, params):
    """A validator: a title of 1 to 40 characters."""
    title = params.get('title', '').strip()
    if not title or len(title) > 40:
        raise Invalid({'title': 'give a title of 1 to 40 characters'})
    return {'title': title}


def no_store(next_caller):
    """A controller wrapper: nothing a view answers may be cached."""

    def call(context, request):
        result = next_caller(context, request)
        request.response.headers['Cache-Control'] = 'no-store'
        return result

    return call


class ReadOnly(ApplicationWrapper):
    """An application wrapper: refuses every POST while
    ``notes.read_only`` is on."""

    def __call__(self, request):
        if request.method == 'POST' and (
            self.settings.get('notes.read_only') == 'true'
        ):
            return Response('Read only.', status=503)
        return self.next_handler(request)


def notes_of(request):
    return request.session.setdefault('notes', [])


class NoteBox(ServerSideCallbackMixin):
    """A widget whose ``add`` callback stores a note in the session."""

    callback_authorization = staticmethod(always_allow)

    @serverside_callback(
        request_method='POST', renderer='json', validate=check_title
    )
    def add(self, request):
        notes = notes_of(request)
        notes.append(request.hook_params['title'])
        request.session.changed()
        return {'notes': notes}


def home(request):
    """The page: here only the CSRF token its script sends back."""
    return {'csrf_token': request.session.get_csrf_token()}


class NotesApi(Controller):
    @route('/api', type='json', auth='public')
    def titles(self, prefix=''):
        """A JSON-RPC method: the titles starting with *prefix*."""
        return [t for t in notes_of(self.request) if t.startswith(prefix)]


def includeme(config):
    config.include('pyramid_hooks')
    config.register_hook('before_render', add_version)
    config.add_controller_wrapper(no_store)
    config.add_application_wrapper(ReadOnly)
    config.add_widget(NoteBox(id='notes'))
    config.add_route('home', '/')
    config.add_view(home, route_name='home', renderer='json')
    config.add_controller(NotesApi)


def main(global_config, **settings):
    """The application's ``paste.app_factory`` (``pserve notes.ini``)."""
    settings.setdefault('notes.version', '1.0')
    config = Configurator(settings=settings)
    secret = settings.get('notes.secret', 'change me: a long random string')
    config.set_session_factory(SignedCookieSessionFactory(secret))
    config.include(includeme)
    return config.make_wsgi_app()
