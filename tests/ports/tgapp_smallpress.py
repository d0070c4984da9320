"""Port of tgapp-smallpress 0.6.2 to Pyramid with pyramid_hooks.

Original: ``smallpress/__init__.py`` (``plugme``, ``init_whoosh``),
``smallpress/controllers/root.py`` (``RootController``),
``smallpress/helpers.py`` (``link_buttons``), ``smallpress/lib/forms.py``
(``ArticleForm``, ``UploadForm``, ``get_article_form``),
``smallpress/lib/validators.py`` (``NaiveDateTimeValidator``) and
``smallpress/model/models.py`` (``Blog``, ``Article``, ``Attachment``).
The SQLAlchemy models are kept in memory (:class:`Store`), the Genshi
templates a renderer for ``.genshi`` names answering JSON that names the
template (:func:`genshi_stand_in`), the tw2 forms small validators;
tgext.tagging's ``TaggingController`` is a small stand-in,
``BlogsController`` the tgext.crud port's ``CrudRestController``, and the
partials, the whoosh search and the attachments' files are left out.

TurboGears -> Pyramid:

- ``tagging = TaggingController(...)`` with ``tagging.search =
  before_render(inject_css)(tagging.search)`` (a listener put on another
  package's controller) -> the controller activated under
  ``/smallpress/tagging`` and ``config.register_hook('before_render',
  inject_css, view=TaggingController.search)``;
- ``blogs = BlogsController(DBSession)``, an ``EasyCrudRestController``
  with ``allow_only = predicates.in_group('smallpress')`` -> the crud
  port's mixin mounted at ``/smallpress/blogs``, ``allow_only`` a
  ``before_validate`` listener scoped to the class (``view=
  BlogsController``) raising ``HTTPForbidden``; its provider, like the
  original's ``DBSession``, is one for the process;
- ``config['hooks'].get('smallpress.before_view_article', [])`` called in
  a loop -> ``request.hooks.notify('smallpress.before_view_article',
  article, kw)``, the dotted names kept;
- ``@validate(dict(article=SQLAEntityConverter(Article)),
  error_handler=index)`` -> ``validate=entity('article', ...)`` with
  ``error_handler='index'``; ``index`` answers through its own
  ``renderer=`` (``view``'s is the article's template), as TurboGears
  renders an error handler with its own ``@expose``;
- ``@validate(..., error_handler=manage)`` on ``publish``, an
  ``@expose()`` without template -> the route gets ``manage``'s
  ``renderer=`` (its own answers are redirects);
- ``@paginate('articles')`` -> :func:`paginate`, a decorator applying a
  ``before_validate`` listener (``page`` taken out of the parameters)
  and a ``before_render`` one (the list cut to the page); the two
  decorators take ``_depth=1``, as they are applied from a function;
- ``manage(self, blog='', *args, **kw)`` and ``self.mount_point +
  '/new/' + blog`` (``/smallpress/new/`` for no blog) -> patterns for
  each number of segments, the trailing slash included;
- ``@require(predicates.in_group('smallpress'))`` -> the auth mode
  ``smallpress``;
- ``@ajaxloaded class UploadForm`` (tgext.ajaxforms: the page holds a
  placeholder its script fills from ``ajaxurl``) and ``@formexpose(
  upload_form, ...)`` on ``upload_form_show`` -> :class:`UploadForm`
  rendering the placeholder with the route's URL, and the handler;
- ``tg_cache=article.caching_options`` in ``view``'s result
  (TurboGears keeps the rendered template under that key) -> a
  controller wrapper (:func:`render_cache`) that answers a cached page
  for the key, and an ``after_render_call`` listener
  (:func:`keep_render`) that keeps what the renderer made;
- ``app_config.register_hook('before_config', init_whoosh)`` -> a
  ``before_wsgi_middlewares`` listener (it gets and returns the app);
- ``request.controller_state.controller.mount_point`` in the helpers ->
  the mount point kept in the settings; ``redirect`` -> ``HTTPFound``,
  ``flash`` -> ``request.session.flash``, ``abort(404)`` ->
  ``HTTPNotFound``.
"""

import json
import os
import time
from dataclasses import dataclass, field
from datetime import datetime

from pyramid.csrf import get_csrf_token
from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.response import Response

from pyramid_hooks import (
    Controller,
    Invalid,
    before_render,
    before_validate,
    route,
)
from tests.ports import tgext_crud

CONFIG_KEY = '_smallpress'
ROOT = 'tests.ports.tgapp_smallpress.RootController.'
INDEX = 'smallpress:templates/index.genshi'
ARTICLE = 'smallpress:templates/article.genshi'
MANAGE = 'smallpress:templates/manage.genshi'
EDIT = 'smallpress:templates/edit.genshi'
ATTACHMENTS = 'smallpress:templates/attachments.genshi'
TAGGED = 'tgext.tagging:templates/search.genshi'
ARTICLE_CACHE_EXPIRE = 1800


def _json(value):
    return value.__json__() if hasattr(value, '__json__') else str(value)


def genshi_stand_in(info):
    """The Genshi templates: JSON of the values, under the template's
    name, so that a test sees which template answered."""
    template = info.name.rsplit('/', 1)[-1].split('.')[0]

    def render(value, system):
        request = system['request']
        request.registry.settings[CONFIG_KEY]['renders'].append(template)
        request.response.content_type = 'application/json'
        return json.dumps({'template': template, **value}, default=_json)

    return render


@dataclass
class Blog:
    name: str = None
    uid: int = 0

    # what the crud port's provider and form read
    __tablename__ = 'blogs'
    fields = ('name',)
    required = ('name',)

    def __json__(self, request=None):
        return {'uid': self.uid, 'name': self.name}


@dataclass
class Attachment:
    name: str
    article: 'Article'
    uid: int = 0


@dataclass
class Article:
    author: str
    blog: Blog = None
    uid: int = 0
    title: str = 'Untitled'
    description: str = ''
    content: str = ''
    published: bool = False
    publish_date: datetime = field(default_factory=datetime.now)
    update_date: datetime = field(default_factory=datetime.now)
    tags: list = field(default_factory=list)
    attachments: list = field(default_factory=list)

    @property
    def blog_name(self):
        return self.blog.name if self.blog else ''

    def caching_options(self, request):
        identity = request.identity
        userid = identity['user'] if identity else 'None'
        updated = self.update_date.strftime('%Y-%m-%d-%H-%M-%S')
        key = f'{userid}-smallpress-article-{self.uid}-{updated}'
        return {'key': key, 'expire': ARTICLE_CACHE_EXPIRE, 'type': 'memory'}

    def __json__(self, request=None):
        return {'uid': self.uid, 'title': self.title, 'blog': self.blog_name}


class Store:
    """``DBSession`` over the three tables, in memory."""

    def __init__(self, blogs):
        self.blogs, self.articles, self.attachments = blogs, {}, {}

    def add(self, table, record):
        record.uid = len(table) + 1
        table[record.uid] = record
        return record

    def published(self, blog=''):
        return [
            a
            for a in self.articles.values()
            if a.published
            and a.publish_date <= datetime.now()
            and (not blog or a.blog_name == blog)
        ]

    def all(self, blog=''):
        return [
            a
            for a in self.articles.values()
            if not blog or a.blog_name == blog
        ]

    def tagged(self, tag):
        return [a for a in self.published() if tag in a.tags]


def store(request):
    return request.registry.settings[CONFIG_KEY]['store']


def mount_point(request):
    return request.registry.settings[CONFIG_KEY]['mount_point']


def in_group(name):
    """``predicates.in_group(name)`` as an auth mode's check."""

    def check(request):
        identity = request.identity
        return identity is not None and name in identity.get('groups', ())

    return check


def entity(name, table):
    """tgext.datahelpers' ``SQLAEntityConverter`` on the parameter
    *name*: the record of *table* its value is the key of."""

    def validate(request, params):
        value = params.get(name)
        found = None
        if isinstance(value, str) and value.isdigit():
            found = getattr(store(request), table).get(int(value))
        if found is None:
            raise Invalid({name: 'Invalid value'})
        params[name] = found
        return params

    return validate


def check_article(request, params):
    """``ArticleForm``: ``title`` and ``content`` required,
    ``publish_date`` a ``NaiveDateTimeValidator``."""
    errors = {
        key: 'Enter a value'
        for key in ('title', 'content')
        if not params.get(key)
    }
    try:
        params['publish_date'] = datetime.strptime(
            (params.get('publish_date') or '').strip(), '%Y-%m-%d %H:%M'
        )
    except ValueError:
        errors['publish_date'] = 'date must be in format yyyy-mm-dd hh:mm'
    if errors:
        raise Invalid(errors)
    return params


def check_search(request, params):
    """``dict(text=UnicodeString(not_empty=True))``."""
    if not params.get('text'):
        raise Invalid({'text': 'Please enter a value'})
    return params


def check_upload(request, params):
    """``UploadForm``: ``name`` required (the file is left out)."""
    if not params.get('name'):
        raise Invalid({'name': 'Please enter a value'})
    return entity('article', 'articles')(request, params)


def paginate(name, items_per_page=2):
    """TurboGears' ``@paginate(name)``: ``page`` is taken out of the
    parameters, and *name* in the result cut to that page."""

    def take_page(request, params):
        # params holds the handler's parameters only: read request.params
        params.pop('page', None)  # a handler taking **kw would get it
        page = request.params.get('page', '1')
        request.smallpress_page = int(page) if page.isdigit() else 1

    def cut(request, params, output):
        page = max(getattr(request, 'smallpress_page', 1), 1)
        start = (page - 1) * items_per_page
        output[name] = output[name][start : start + items_per_page]
        output['page'] = page

    def decorate(handler):
        handler = before_validate(take_page, _depth=1)(handler)
        return before_render(cut, _depth=1)(handler)

    return decorate


def link_buttons(request, entity, *buttons):
    """``smallpress.helpers.link_buttons``: the actions' URLs."""
    links = []
    for btn in buttons:
        if btn == 'publish' and entity.published:
            continue
        if btn == 'hide' and not entity.published:
            continue
        links.append(f'{mount_point(request)}/{btn}/{entity.uid}')
    return links


class UploadForm:
    """``@ajaxloaded UploadForm``: the page holds a placeholder that the
    script fills with what ``ajaxurl`` (``upload_form_show``) answers."""

    id = 'attachments_form'

    def render(self, request, article):
        url = request.route_path(
            ROOT + 'upload_form_show', _query={'article': article.uid}
        )
        return f'<div id="{self.id}" data-ajaxurl="{url}"></div>'


upload_form = UploadForm()


def _page(request, **values):
    values['flash'] = request.session.pop_flash()
    values['errors'] = getattr(request, 'validation_errors', {})
    values['csrf_token'] = get_csrf_token(request)
    return values


def _redirect(request, path):
    return HTTPFound(mount_point(request) + path)


class TaggingController(Controller):
    """tgext.tagging's controller, which smallpress mounts as
    ``tagging``."""

    @route('/search/<tag>', auth='public', renderer=TAGGED)
    def search(self, tag):
        return {'tag': tag, 'tagged': store(self.request).tagged(tag)}


def inject_css(request, params, output):
    """``CSSLink(link='/_pluggable/smallpress/css/style.css').inject()``."""
    output.setdefault('css', []).append(
        request.script_name + '/_pluggable/smallpress/css/style.css'
    )


class BlogsController(tgext_crud.CrudRestController, Controller):
    title = 'Manage Blogs'
    model = Blog
    provider = tgext_crud.MemoryProvider(Blog, 'uid')


def allow_only(check):
    """A controller's ``allow_only`` predicate, for each of its routes."""

    def _allow_only(request, params):
        if not check(request):
            raise HTTPForbidden()

    return _allow_only


class RootController(Controller):
    @route(['', '/', '/index', '/index/<blog>'], auth='public', renderer=INDEX)
    def index(self, blog='', **kw):
        articles = store(self.request).published(blog)
        return _page(self.request, articles=articles, blog=blog)

    @route(
        '/view/<article>',
        auth='public',
        renderer=ARTICLE,
        validate=entity('article', 'articles'),
        error_handler='index',
    )
    def view(self, article, **kw):
        identity = self.request.identity
        visible = (
            article.published and article.publish_date <= datetime.now()
        ) or (
            identity is not None
            and (
                article.author == identity['user']
                or 'smallpress' in identity['groups']
            )
        )
        if not visible:
            return _redirect(self.request, '/')
        self.request.hooks.notify(
            'smallpress.before_view_article', article, kw
        )
        return {
            'article': article,
            'content': article.content,
            'tg_cache': article.caching_options(self.request),
        }

    @route(
        ['/manage', '/manage/', '/manage/<blog>'],
        auth='smallpress',
        renderer=MANAGE,
    )
    @paginate('articles')
    def manage(self, blog='', **kw):
        request = self.request
        articles = store(request).all(blog)
        return _page(
            request,
            articles=articles,
            actions={
                a.uid: link_buttons(
                    request, a, 'edit', 'delete', 'hide', 'publish'
                )
                for a in articles
            },
            create_action=mount_point(request) + '/new/' + blog,
        )

    @route(['/new', '/new/', '/new/<blog>'], auth='smallpress')
    def new(self, blog=None, **kw):
        request = self.request
        data = store(request)
        if 'uid' not in kw:
            if blog:
                blog = next(
                    (b for b in data.blogs.values() if b.name == blog), None
                )
            article = Article(author=request.identity['user'], blog=blog)
            request.hooks.notify(
                'smallpress.before_create_article', article, kw
            )
            data.add(data.articles, article)
            request.hooks.notify(
                'smallpress.after_create_article', article, kw
            )
        else:
            article = data.articles[int(kw['uid'])]
        return _redirect(request, f'/edit/{article.uid}')

    @route(['/edit', '/edit/<uid>'], auth='smallpress', renderer=EDIT)
    def edit(self, uid=None, **kw):
        article = None
        if uid and str(uid).isdigit():
            article = store(self.request).articles.get(int(uid))
        if article is None:
            raise HTTPNotFound()
        value = {
            'uid': article.uid,
            'title': article.title,
            'description': article.description,
            'tags': ', '.join(article.tags),
            'publish_date': article.publish_date.strftime('%Y-%m-%d %H:%M'),
            'content': article.content,
        }
        self.request.hooks.notify(
            'smallpress.before_edit_article', article, value
        )
        return _page(
            self.request,
            article=article,
            value=value,
            blog=article.blog_name,
            action=mount_point(self.request) + '/save',
            upload_form=upload_form.render(self.request, article),
        )

    @route(
        '/save',
        auth='smallpress',
        methods=['POST'],
        validate=check_article,
        error_handler='edit',
        renderer=EDIT,  # edit answers through it; save redirects
    )
    def save(self, **kw):
        request = self.request
        article = store(request).articles[int(kw['uid'])]
        request.hooks.notify('smallpress.before_save_article', article, kw)
        article.title = kw['title']
        article.description = kw.get('description', '')
        article.content = kw['content']
        article.publish_date = kw['publish_date']
        article.update_date = datetime.now()
        article.tags = [
            t.strip() for t in kw.get('tags', '').split(',') if t.strip()
        ]
        request.session.flash('Articles successfully saved')
        return _redirect(request, '/manage/' + article.blog_name)

    @route('/upload_form_show', auth='smallpress', renderer=ATTACHMENTS)
    def upload_form_show(self, **kw):
        article = store(self.request).articles.get(
            int(kw['article']) if str(kw.get('article')).isdigit() else 0
        )
        return _page(
            self.request,
            value=kw,
            attachments=article.attachments if article else [],
        )

    @route(
        '/attach',
        auth='smallpress',
        methods=['POST'],
        validate=check_upload,
        error_handler='upload_form_show',
        renderer=ATTACHMENTS,
    )
    def attach(self, article, name, **kw):
        data = store(self.request)
        attachment = data.add(data.attachments, Attachment(name, article))
        article.attachments.append(attachment)
        self.request.hooks.notify(
            'smallpress.on_attachment_upload', article, attachment
        )
        return _page(
            self.request,
            value={'article': article.uid},
            attachments=article.attachments,
        )

    @route(
        '/rmattachment/<attachment>',
        auth='smallpress',
        validate=entity('attachment', 'attachments'),
    )
    def rmattachment(self, attachment):
        request = self.request
        article = attachment.article
        request.hooks.notify(
            'smallpress.on_attachment_remove', article, attachment
        )
        article.attachments.remove(attachment)
        del store(request).attachments[attachment.uid]
        request.session.flash('Attachment successfully removed')
        return _redirect(request, f'/edit/{article.uid}')

    def _publishing(self, article, published):
        request = self.request
        if published and not article.content:
            request.session.flash('Cannot publish an empty article')
        else:
            article.published = published
            request.session.flash(
                'Article published' if published else 'Article hidden'
            )
        request.hooks.notify(
            'smallpress.on_article_publishing', article, published
        )
        return _redirect(request, '/manage/' + article.blog_name)

    @route(
        '/publish/<article>',
        auth='smallpress',
        validate=entity('article', 'articles'),
        error_handler='manage',
        renderer=MANAGE,  # manage answers through it
    )
    def publish(self, article):
        return self._publishing(article, True)

    @route(
        '/hide/<article>',
        auth='smallpress',
        validate=entity('article', 'articles'),
        error_handler='manage',
        renderer=MANAGE,
    )
    def hide(self, article):
        return self._publishing(article, False)

    @route(
        '/delete/<article>',
        auth='smallpress',
        validate=entity('article', 'articles'),
        error_handler='manage',
        renderer=MANAGE,
    )
    def delete(self, article):
        request = self.request
        request.hooks.notify('smallpress.on_article_delete', article)
        del store(request).articles[article.uid]
        request.session.flash('Article successfully removed')
        return _redirect(request, '/manage/' + article.blog_name)

    @route(
        '/search',
        auth='public',
        renderer=INDEX,
        validate=check_search,
        error_handler='index',
    )
    def search(self, text=None):
        articles = [
            a for a in store(self.request).published() if text in a.content
        ]
        return _page(self.request, articles=articles, blog='')


def render_cache(next_caller):
    """TurboGears' ``tg_cache``: a result naming a cache key is answered
    with the page rendered for that key, while it has not expired; else
    it is rendered, and :func:`keep_render` keeps the page."""

    def call(context, request):
        output = next_caller(context, request)
        if not isinstance(output, dict) or not output.get('tg_cache'):
            return output
        options = request.smallpress_cache = output.pop('tg_cache')
        cache = request.registry.settings[CONFIG_KEY]['render_cache']
        hit = cache.get(options['key'])
        if hit is not None and hit[0] > time.monotonic():
            return Response(hit[1], content_type=hit[2])
        return output

    return call


def keep_render(request, renderer_name, values, response):
    options = getattr(request, 'smallpress_cache', None)
    if options is not None:
        cache = request.registry.settings[CONFIG_KEY]['render_cache']
        expire = time.monotonic() + options['expire']
        cache[options['key']] = (expire, response.body, response.content_type)


def init_whoosh(app):
    """``init_whoosh``: the index directory made before the application
    serves (the index itself is left out); ``tg.config`` is the router's
    ``registry.settings``."""
    index_path = app.registry.settings.get('smallpress_whoosh_index')
    if index_path and not os.path.exists(index_path):
        os.mkdir(index_path)
    return app


def plugme(config, mount_point='/smallpress', **options):
    """What ``plug(base_config, 'smallpress', ...)`` did."""
    options.update(
        store=Store(BlogsController.provider.rows),
        mount_point=mount_point,
        render_cache={},
        renders=[],
    )
    config.add_settings({CONFIG_KEY: options})
    config.add_renderer('.genshi', genshi_stand_in)
    config.add_controller_auth('smallpress', in_group('smallpress'))
    config.register_hook('before_wsgi_middlewares', init_whoosh)
    config.add_controller_wrapper(render_cache)  # tg_cache, for every page
    config.register_hook('after_render_call', keep_render)
    config.register_hook(
        'before_render', inject_css, view=TaggingController.search
    )
    with config.route_prefix_context(mount_point):
        # the scan applies @paginate's listeners and activates the root
        ignore = ['TaggingController', 'BlogsController']
        config.scan(__name__, ignore=[f'{__name__}.{c}' for c in ignore])
    with config.route_prefix_context(mount_point + '/tagging'):
        config.add_controller(TaggingController)
    config.include(tgext_crud)
    tgext_crud.mount(config, BlogsController, mount_point + '/blogs')
    config.register_hook(
        'before_validate',
        allow_only(in_group('smallpress')),
        view=BlogsController,
    )
    return {'appid': 'smallpress', 'global_helpers': False}
