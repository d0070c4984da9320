"""tgapp-photos 0.3.0, ported (tests/ports/tgapp_photos.py): its public
pages and the management a member of ``photos`` sees."""

import re

from pyramid.config import Configurator
from pyramid.security import Allowed
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

import pyramid_hooks
from tests.ports.tgapp_photos import gallery_partial, plugme


class Policy:
    def identity(self, request):
        groups = request.headers.get('X-Groups')
        return None if groups is None else {'groups': groups.split()}

    def authenticated_userid(self, request):
        return 'someone' if self.identity(request) is not None else None

    def permits(self, request, context, permission):
        return Allowed('ok')


def template(info):
    """A Genshi template's stand-in: its name and the values' keys."""
    name = info.name.rsplit('/', 1)[-1].split('.')[0]

    def render(value, system):
        return f'{name}: {sorted(value)}'

    return render


PHOTOS = {'X-Groups': 'photos'}


def make_app(**options):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    config.set_security_policy(Policy())
    config.add_renderer('.genshi', template)

    def home(request):
        return gallery_partial(request)

    config.add_route('home', '/')
    config.add_view(home, route_name='home', renderer='json')
    plugme(config, **options)
    return TestApp(pyramid_hooks.make_wsgi_app(config))


def add(app, url, **values):
    form = app.get(url + 'new', headers=PHOTOS).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)[1]
    return app.post(url, {**values, 'csrf_token': token}, headers=PHOTOS)


def test_pages():
    app = make_app()
    assert app.get('/photos').text == "index: ['galleries']"
    add(app, '/photos/manage/galleries/', name='Holidays')
    add(
        app,
        '/photos/manage/photos/',
        name='Sea',
        image='/sea.jpg',
        gallery='1',
    )
    assert (
        app.get('/photos/gallery/1').text == "gallery: ['gallery', 'inline']"
    )
    assert app.get('/photos/gallery?gallery=1').text == (
        "gallery: ['gallery', 'inline']"
    )
    assert app.get('/photos/photo/1').text == "photo: ['photo']"
    assert app.get('/').json == {
        'gallery': {'uid': 1, 'name': 'Holidays'},
        'inline': True,
    }


def test_unknown_gallery_is_the_index_unknown_photo_404():
    app = make_app()
    assert app.get('/photos/gallery/7').text == "index: ['galleries']"
    app.get('/photos/photo/7', status=404)
    app.get('/photos/photo', status=404)


def test_management_is_for_the_photos_group():
    app = make_app()
    app.get('/photos/manage/galleries/', status=403)
    app.get('/photos/manage/photos/', headers={'X-Groups': 'x'}, status=403)
    assert (
        app.get('/photos/manage/galleries/', headers=PHOTOS).status_int == 200
    )


def test_photos_of_a_gallery():
    app = make_app()
    add(app, '/photos/manage/galleries/', name='A')
    add(app, '/photos/manage/galleries/', name='B')
    add(app, '/photos/manage/photos/', name='One', image='/1.jpg', gallery='1')
    add(app, '/photos/manage/photos/', name='Two', image='/2.jpg', gallery='2')
    page = app.get('/photos/manage/photos/?gallery=2', headers=PHOTOS).text
    assert '<li>Two</li>' in page and 'One' not in page
    app.get('/photos/manage/photos/?gallery=x', headers=PHOTOS, status=404)
    # keep_params: back to the gallery's list after adding
    form = app.get('/photos/manage/photos/new', headers=PHOTOS).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)[1]
    resp = app.post(
        '/photos/manage/photos/?gallery=2',
        {
            'name': 'Three',
            'image': '/3.jpg',
            'gallery': '2',
            'csrf_token': token,
        },
        headers=PHOTOS,
    )
    assert resp.location.endswith('/photos/manage/photos/?gallery=2')
