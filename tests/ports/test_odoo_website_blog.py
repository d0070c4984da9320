"""Odoo's website_blog controller, ported
(tests/ports/odoo_website_blog.py): the blogs' index and a blog's page
with tags and pages in the path, slugs of ``model(...)`` converters made
canonical, the feed, the pre-v14 URLs and a post counted once per
session."""

import json

import pytest
from pyramid.config import Configurator
from pyramid.csrf import get_csrf_token
from pyramid.exceptions import ConfigurationError
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import Controller, route
from tests.ports.odoo_fakes import MODEL_REGEX, Env, Record
from tests.ports.odoo_website_blog import QueryURL, WebsiteBlog, slug, unslug


def make_app(*classes, blogs=('Travel', 'Food'), posts_per_blog=3):
    env = Env()
    for name in blogs:
        env['blog.blog'].create({'name': name, 'sequence': len(name)})
    cats = env['blog.tag'].create({'name': 'Cats'})
    env['blog.tag'].create({'name': 'Dogs'})
    for blog in env['blog.blog'].records.values():
        for n in range(posts_per_blog):
            env['blog.post'].create({
                'name': f'{blog.name} {n}',
                'blog_id': blog,
                'post_date': f'2024-01-{n + 1:02} 10:00:00',
                'website_published': True,
                'tag_ids': [cats.id] if n == 0 else [],
                'visits': 0,
            })  # fmt: skip
    config = Configurator()
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_fakes')
    config.include('tests.ports.odoo_fakes.include_model_converter')
    config.include('tests.ports.odoo_auth_signup')  # request.redirect
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.registry.odoo_env = env
    for cls in classes or (WebsiteBlog,):
        config.add_controller(cls)
    config.add_controller(Token)
    return TestApp(config.make_wsgi_app()), env


def page(response):
    assert response.status_int == 200
    return json.loads(response.text)


def test_index_lists_the_published_posts_of_every_blog():
    app, _env = make_app()
    body = page(app.get('/blog'))
    assert body['template'] == 'website_blog.blog_post_short'
    values = body['values']
    assert values['search_count'] == 6
    assert values['posts'][:2] == ['Travel 2', 'Food 2']  # newest first
    assert values['pager']['page_count'] == 1
    assert values['blog_url'] == '/blog'


def test_a_blog_by_its_slug_and_a_page_in_the_path():
    app, _env = make_app(posts_per_blog=14)
    values = page(app.get('/blog/travel-1/page/2'))['values']
    assert values['blog'] == 'Travel'
    assert values['main_object'] == 'Travel'
    assert values['posts'] == ['Travel 1', 'Travel 0']  # 12 on page 1
    assert values['pager']['page'] == {
        'num': 2,
        'url': '/blog/travel-1/page/2',
    }
    assert values['pager']['pages'][0]['url'] == '/blog/travel-1'
    assert values['blog_url'] == '/blog/travel-1'
    # the index's pages, and a page number that is no int: 404
    assert page(app.get('/blog/page/2'))['values']['pager']['page']['num'] == 2
    app.get('/blog/page/two', status=404)


def test_a_slug_that_is_not_the_records_is_redirected_301():
    """Odoo's website (ir.http) redirects a GET to the canonical URL."""
    app, _env = make_app()
    response = app.get('/blog/1/page/2?search=x', status=301)
    assert (
        response.location == 'http://localhost/blog/travel-1/page/2?search=x'
    )
    response = app.get('/blog/old-name-1/food-0-4', status=301)
    assert response.location.endswith('/blog/travel-1/food-0-4')
    # a POST is not redirected
    app.post('/blog/1', {'csrf_token': csrf(app)}, status=200)
    # an id that names no record: 404, as Odoo's MissingError
    app.get('/blog/travel-99', status=404)


class Token(Controller):
    @route('/token', auth='public')
    def token(self):
        return get_csrf_token(self.request)


def csrf(app):
    """The session's CSRF token (the POST routes check it)."""
    return app.get('/token').text


def test_tags_in_the_path_are_made_their_slugs_and_only_one_is_kept():
    app, _env = make_app()
    values = page(app.get('/blog/tag/cats-1'))['values']
    assert values['posts'] == ['Travel 0', 'Food 0']
    assert values['active_tag_ids'] == [1]
    # an old name of the tag: 301 to its slug
    response = app.get('/blog/travel-1/tag/felines-1?search=T', status=301)
    assert response.location.endswith('/blog/travel-1/tag/cats-1?search=T')
    # the path's text, not its percent-encoding, holds the tag
    # (Werkzeug's request.path is WebOb's request.path_info)
    response = app.get('/blog/tag/caf%C3%A9-1?search=T', status=301)
    assert response.location.endswith('/blog/tag/cats-1?search=T')
    # a tag that does not exist is dropped from the URL
    response = app.get('/blog/tag/gone-9', status=301)
    assert response.location == 'http://localhost/blog'
    # several tags on a GET: the first one, 302
    response = app.get('/blog/travel-1/tag/cats-1,dogs-2', status=302)
    assert response.location.endswith('/blog/travel-1/tag/cats-1')
    response = app.get('/blog/tag/cats-1,dogs-2', status=302)
    assert response.location.endswith('/blog/tag/cats-1')


def test_one_blog_only_the_index_goes_to_it():
    app, _env = make_app(blogs=('News',))
    response = app.get('/blog?search=a&date_begin=x', status=302)
    assert response.location.startswith('http://localhost/blog/news-1?')
    assert 'search=a' in response.location
    assert 'date_begin=x' in response.location


def test_feed_is_atom():
    app, _env = make_app()
    response = app.get('/blog/food-2/feed?limit=2')
    assert response.content_type == 'application/atom+xml'
    values = json.loads(response.text)['values']
    assert values['posts'] == ['Food 2', 'Food 1']


def test_pre_v14_post_url_is_moved():
    app, _env = make_app()
    response = app.get('/blog/travel-1/post/travel-0-1', status=301)
    assert response.location == 'http://localhost/blog/travel-1/travel-0-1'


def test_a_post_and_the_next_one():
    app, env = make_app()
    body = page(app.get('/blog/travel-1/travel-1-2?tag_id=1'))
    assert body['template'] == 'website_blog.blog_post_complete'
    values = body['values']
    assert values['blog_post'] == 'Travel 1'
    assert values['next_post'] == 'Travel 2'
    assert values['tag'] == 'Cats'
    assert values['blog_url'] == '/blog/travel-1/tag/cats-1'
    # a post of another blog: 301 to its own blog
    response = app.get('/blog/travel-1/food-0-4', status=301)
    assert response.location.endswith('/blog/food-2/food-0-4')
    # a post not yet published: to the blog (Odoo's 303)
    env['blog.post'].browse(3).post_date = '2999-01-01 00:00:00'
    response = app.get('/blog/travel-1/travel-2-3', status=303)
    assert response.location == 'http://localhost/blog/travel-1'


def test_a_post_is_counted_once_per_session():
    """The ids of the posts read are a list kept in the session, appended
    in place: saved because the port calls ``session.changed()``."""
    app, env = make_app()
    first, second = env['blog.post'].browse(1), env['blog.post'].browse(2)
    for _ in range(2):
        app.get('/blog/travel-1/travel-0-1')
    for _ in range(3):
        app.get('/blog/travel-1/travel-1-2')
    assert (first.visits, second.visits) == (1, 1)
    app.reset()  # another visitor
    app.get('/blog/travel-1/travel-1-2')
    assert second.visits == 2


def test_without_session_changed_a_second_post_is_counted_every_time():
    """What Odoo 17's ``request.session.modified = True``, ported as it
    is, does on Pyramid's session: nothing, silently."""

    class AsInOdoo17(WebsiteBlog):
        @route()
        def blog_post(self, blog, blog_post, **kw):
            session = self.request.session
            if blog_post.id not in session.get('posts_viewed', []):
                blog_post.visits += 1
                if not session.get('posts_viewed'):
                    session['posts_viewed'] = []
                session['posts_viewed'].append(blog_post.id)
                session.modified = True
            return 'read'

    app, env = make_app(AsInOdoo17)
    app.get('/blog/travel-1/travel-0-1')
    for _ in range(3):
        app.get('/blog/travel-1/travel-1-2')
    assert env['blog.post'].browse(2).visits == 3  # Odoo: 1


def test_the_domain_argument_of_model_needs_a_converter_taking_it():
    """A converter written as ``to_python(request, value, model)`` does
    not start: the blog post's pattern gives it a domain too."""

    def record(request, value, model):  # pragma: no cover - never called
        return request.env[model].browse(unslug(value)[1])

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route_converter('model', MODEL_REGEX, record)
    config.add_controller(WebsiteBlog)
    with pytest.raises(ConfigurationError, match='too many positional'):
        config.make_wsgi_app()


def test_query_url():
    blog = Record(id=3, name='My Blog')
    assert QueryURL('/blog', ['blog', 'tag'], blog=blog, tag='t-1')() == (
        '/blog/my-blog-3/tag/t-1'
    )
    url = QueryURL('/blog', ['blog'], search='x y', ids=[1, 2])
    assert url() == '/blog?search=x+y&ids=1&ids=2'
    assert (
        url(path_args=['tag'], tag='t-2')
        == '/blog/tag/t-2?search=x+y&ids=1&ids=2'
    )
    assert slug(blog) == 'my-blog-3'
    assert unslug('my-blog-3') == ('my-blog', 3)
    assert unslug('3') == (None, 3)
    assert unslug('blog') == (None, None)
