"""Port of tgapp-photos 0.3.0 to Pyramid with pyramid_hooks, over the
tgext.crud port (``tests/ports/tgext_crud.py``).

Originals: ``photos/controllers/root.py`` (``RootController``: ``index``,
``gallery``, ``photo``; ``ManagementController`` with its
``cached_property`` sub-controllers; ``GalleriesController`` and
``PhotosController``, tgext.crud's ``EasyCrudRestController``),
``photos/partials.py`` (``gallery``, ``albums``) and
``photos/model/models.py`` (``Gallery``, ``Photo``).  Sprox's forms and
tables, tgext.datahelpers' attachments (the thumbnails) and the Genshi
templates are left out: a template is a stand-in renderer naming it.

TurboGears -> Pyramid:

- ``manage = ManagementController()`` whose ``galleries`` and ``photos``
  are ``cached_property`` CRUD controllers -> each a ``Controller``
  activated under its own prefix (``/photos/manage/galleries``);
- ``allow_only = predicates.in_group('photos')`` on the CRUD controllers
  -> a ``before_validate`` listener scoped to each class, registered
  first;
- ``@expose(inherit=True) def get_all(self, *args, **kw)`` calling
  ``super()`` -> ``@route()`` on the override, which keeps the mixin's
  route; ``abort(404, 'Gallery not found')`` -> a raised ``HTTPNotFound``;
- ``@validate(dict(gallery=SQLAEntityConverter(Gallery)),
  error_handler=index)`` -> ``validate=`` and ``error_handler=index``
  from the class body, answering through ``index``'s own ``renderer=``;
- ``error_handler=lambda c: abort(404)`` -> ``lambda request:
  HTTPNotFound()`` (an error handler is called with the request; a lambda
  cannot raise, so it returns the answer);
- ``@expose('photos.templates.index')`` -> ``renderer=
  'photos:templates/index.genshi'`` (Pyramid finds a renderer by the
  name's extension: ``photos.templates.index`` would be one for
  ``.index``);
- ``config.get('_pluggable_photos_config')`` -> the same key of the
  settings; the partials -> functions of the request.
"""

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound

from pyramid_hooks import Controller, Invalid, route
from tests.ports import tgext_crud as crud

CONFIG_KEY = '_pluggable_photos_config'


class Gallery:
    __tablename__ = 'photos_gallery'
    fields = ('name',)
    required = ('name',)

    def __init__(self, name=None):
        self.uid = None
        self.name = name

    def __json__(self, request):
        return {'uid': self.uid, 'name': self.name}


class Photo:
    __tablename__ = 'photos_photo'
    fields = ('name', 'description', 'image', 'gallery')
    required = ('name', 'image')

    def __init__(self, name=None, description='', image=None, gallery=None):
        self.uid = None
        self.name = name
        self.description = description
        self.image = image
        self.gallery = gallery

    def url(self, request, inline):
        if inline:
            return self.image
        return request.route_url(
            f'{__name__}.RootController.photo:1', photo=self.uid
        )

    def __json__(self, request):
        return {'uid': self.uid, 'name': self.name, 'gallery': self.gallery}


def in_group(name):
    def check(request, params):
        identity = request.identity
        if identity is None or name not in identity.get('groups', ()):
            raise HTTPForbidden()

    return check


class GalleriesController(crud.CrudRestController, Controller):
    title = 'Manage Galleries'
    model = Gallery


class PhotosController(crud.CrudRestController, Controller):
    title = 'Manage Photos'
    model = Photo
    keep_params = ['gallery']

    @route()
    def get_all(self, *args, **kw):
        if 'gallery' in kw:
            try:
                kw['gallery'] = int(kw['gallery'])
            except ValueError:
                raise HTTPNotFound('Gallery not found')
        return super().get_all(*args, **kw)


def galleries(request):
    rows = GalleriesController.provider.rows
    return [rows[uid] for uid in sorted(rows, reverse=True)]


def entity(name, controller):
    """``SQLAEntityConverter(model)`` on the parameter *name*."""

    def to_python(request, params):
        value = str(params.get(name, ''))
        found = (
            controller.provider.rows.get(int(value))
            if value.isdigit()
            else None
        )
        if found is None:
            raise Invalid({name: 'Object not found'})
        params[name] = found
        return params

    return to_python


class RootController(Controller):
    @route(['', '/'], auth='public', renderer='photos:templates/index.genshi')
    def index(self, **kw):
        return {'galleries': galleries(self.request)}

    @route(
        ['/gallery', '/gallery/<gallery>'],
        auth='public',
        renderer='photos:templates/gallery.genshi',
        validate=entity('gallery', GalleriesController),
        error_handler=index,
    )
    def gallery(self, gallery, **kw):
        photos_config = self.request.registry.settings[CONFIG_KEY]
        return {
            'gallery': gallery,
            'inline': photos_config.get('inline_photos', True),
        }

    @route(
        ['/photo', '/photo/<photo>'],
        auth='public',
        renderer='photos:templates/photo.genshi',
        validate=entity('photo', PhotosController),
        error_handler=lambda request: HTTPNotFound(),
    )
    def photo(self, photo):
        return {'photo': photo}


def gallery_partial(request, gallery=None, inline=True):
    """``partials.gallery``: the first gallery by default."""
    if gallery is None:
        gallery = next(iter(GalleriesController.provider.rows.values()), None)
    return {'gallery': gallery, 'inline': inline}


def plugme(config, mount_point='/photos', **options):
    """``plug(base_config, 'photos', ...)``."""
    config.add_settings({CONFIG_KEY: options})
    config.include(crud.includeme)
    for cls, prefix in (
        (GalleriesController, '/manage/galleries'),
        (PhotosController, '/manage/photos'),
    ):
        cls.provider = crud.MemoryProvider(cls.model, 'uid')
        config.register_hook('before_validate', in_group('photos'), view=cls)
        crud.mount(config, cls, mount_point + prefix)
    with config.route_prefix_context(mount_point):
        config.add_controller(RootController)
    return {'appid': 'photos', 'global_helpers': False}
