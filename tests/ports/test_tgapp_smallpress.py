"""tgapp-smallpress 0.6.2, ported (tests/ports/tgapp_smallpress.py): the
behaviour of its controller, as its templates would show it."""

from datetime import timedelta

from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

import pyramid_hooks
from tests.ports.policies import GroupsHeaderPolicy as GroupsPolicy
from tests.ports.tgapp_smallpress import Blog, plugme

EDITOR = {'X-User': 'editor', 'X-Groups': 'smallpress'}


def make_app(setup=None, **settings):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    config.set_security_policy(GroupsPolicy())
    if setup is not None:
        setup(config)
    plugme(config)
    return TestApp(pyramid_hooks.make_wsgi_app(config))


def new_article(app, blog=''):
    resp = app.get('/smallpress/new/' + blog, headers=EDITOR)
    return resp.location.rsplit('/', 1)[-1]


def save(app, uid, status=None, **fields):
    page = app.get('/smallpress/edit/' + uid, headers=EDITOR).json
    values = {
        'uid': uid,
        'title': 'First',
        'content': 'Hello world',
        'tags': 'news, pyramid',
        'publish_date': '2020-01-01 10:00',
        'csrf_token': page['csrf_token'],
    }
    values.update(fields)
    return app.post('/smallpress/save', values, headers=EDITOR, status=status)


def published(app, blog=''):
    uid = new_article(app, blog)
    save(app, uid)
    app.get('/smallpress/publish/' + uid, headers=EDITOR)
    return uid


def test_index_empty():
    app = make_app()
    for url in ('/smallpress', '/smallpress/', '/smallpress/index'):
        page = app.get(url).json
        assert (page['template'], page['articles']) == ('index', [])


def test_new_article_goes_to_its_edit_page():
    app = make_app()
    resp = app.get('/smallpress/new/', headers=EDITOR)
    assert resp.location.endswith('/smallpress/edit/1')
    page = resp.follow(headers=EDITOR).json
    assert page['template'] == 'edit'
    assert page['value']['title'] == 'Untitled'
    assert (
        'data-ajaxurl="/smallpress/upload_form_show?article=1"'
        in (page['upload_form'])
    )


def test_editing_needs_the_group():
    app = make_app()
    app.get('/smallpress/new', status=403)
    app.get('/smallpress/manage', headers={'X-User': 'x'}, status=403)
    app.get('/smallpress/edit/1', headers=EDITOR, status=404)


def test_save_then_publish_then_view():
    app = make_app()
    uid = new_article(app)
    resp = save(app, uid)
    assert resp.location.endswith('/smallpress/manage/')
    page = resp.follow(headers=EDITOR).json
    assert page['flash'] == ['Articles successfully saved']
    assert page['actions'] == {
        '1': [
            '/smallpress/edit/1',
            '/smallpress/delete/1',
            '/smallpress/publish/1',
        ]
    }
    # a draft is hidden from the public, redirected to the index
    assert app.get('/smallpress/view/' + uid).location.endswith('/smallpress/')
    app.get('/smallpress/publish/' + uid, headers=EDITOR)
    page = app.get('/smallpress/view/' + uid).json
    assert (page['template'], page['content']) == ('article', 'Hello world')
    assert [a['title'] for a in app.get('/smallpress/').json['articles']] == [
        'First'
    ]


def test_save_invalid_answers_the_edit_page():
    app = make_app()
    uid = new_article(app)
    page = save(app, uid, title='', publish_date='yesterday').json
    assert page['template'] == 'edit'
    assert page['errors'] == {
        'title': 'Enter a value',
        'publish_date': 'date must be in format yyyy-mm-dd hh:mm',
    }


def test_view_unknown_article_answers_the_index():
    """``error_handler=index``: TurboGears renders ``index`` with its own
    template, not the article's."""
    app = make_app()
    published(app)
    page = app.get('/smallpress/view/42').json
    assert page['template'] == 'index'
    assert page['errors'] == {'article': 'Invalid value'}
    assert [a['uid'] for a in page['articles']] == [1]


def test_search():
    app = make_app()
    published(app)
    assert (
        app.get('/smallpress/search?text=world').json['articles'][0]['title']
        == 'First'
    )
    page = app.get('/smallpress/search?text=').json
    assert (page['template'], page['errors']) == (
        'index',
        {'text': 'Please enter a value'},
    )


def test_manage_paginates():
    app = make_app()
    for _ in range(5):
        new_article(app)
    page = app.get('/smallpress/manage', headers=EDITOR).json
    assert [a['uid'] for a in page['articles']] == [1, 2]
    page = app.get('/smallpress/manage?page=3', headers=EDITOR).json
    assert ([a['uid'] for a in page['articles']], page['page']) == ([5], 3)


def test_publish_unknown_answers_manage():
    app = make_app()
    new_article(app)
    page = app.get('/smallpress/publish/9', headers=EDITOR).json
    assert page['template'] == 'manage'
    assert page['errors'] == {'article': 'Invalid value'}


def test_publish_empty_article_refused_and_hide():
    app = make_app()
    uid = new_article(app)
    resp = app.get('/smallpress/publish/' + uid, headers=EDITOR)
    assert resp.follow(headers=EDITOR).json['flash'] == [
        'Cannot publish an empty article'
    ]
    save(app, uid)
    app.get('/smallpress/publish/' + uid, headers=EDITOR)
    resp = app.get('/smallpress/hide/' + uid, headers=EDITOR)
    assert resp.follow(headers=EDITOR).json['flash'][-1] == 'Article hidden'
    assert app.get('/smallpress/').json['articles'] == []


def test_delete():
    app = make_app()
    uid = new_article(app)
    app.get('/smallpress/delete/' + uid, headers=EDITOR)
    assert app.get('/smallpress/manage', headers=EDITOR).json['articles'] == []


def test_blogs_managed_by_the_group():
    """``BlogsController``: tgext.crud's pages, ``allow_only`` the group."""
    app = make_app()
    app.get('/smallpress/blogs/', status=403)
    app.get('/smallpress/blogs/', headers={'X-User': 'x'}, status=403)
    page = app.get('/smallpress/blogs/new', headers=EDITOR)
    assert '<h1>Manage Blogs</h1>' in page.text
    page.form['name'] = 'travels'
    resp = page.form.submit(headers=EDITOR)
    assert resp.location == 'http://localhost/smallpress/blogs/'
    assert '<li>travels</li>' in resp.follow(headers=EDITOR).text
    published(app, 'travels')
    page = app.get('/smallpress/index/travels').json
    assert [a['blog'] for a in page['articles']] == ['travels']


def test_blog_articles():
    app = make_app()
    data = app.app.registry.settings['_smallpress']['store']
    data.add(data.blogs, Blog('tech'))
    published(app, 'tech')
    published(app)
    assert [
        a['uid'] for a in app.get('/smallpress/index/tech').json['articles']
    ] == [1]
    page = app.get('/smallpress/manage/tech', headers=EDITOR).json
    assert page['create_action'] == '/smallpress/new/tech'


def test_attachments():
    app = make_app()
    uid = new_article(app)
    page = app.get(
        '/smallpress/upload_form_show?article=' + uid, headers=EDITOR
    ).json
    assert (page['template'], page['attachments']) == ('attachments', [])
    values = {'article': uid, 'name': 'pic', 'csrf_token': page['csrf_token']}
    page = app.post('/smallpress/attach', values, headers=EDITOR).json
    assert len(page['attachments']) == 1
    page = app.post(
        '/smallpress/attach', dict(values, name=''), headers=EDITOR
    ).json
    assert page['errors'] == {'name': 'Please enter a value'}
    resp = app.get('/smallpress/rmattachment/1', headers=EDITOR)
    assert resp.location.endswith('/smallpress/edit/1')
    app.get('/smallpress/rmattachment/1', headers=EDITOR, status=400)


def test_hooks():
    """The ``smallpress.*`` hooks of ``config['hooks']``."""
    seen = []

    def setup(config):
        for name in (
            'before_create_article',
            'after_create_article',
            'before_save_article',
            'before_view_article',
            'on_article_publishing',
        ):
            config.register_hook(
                'smallpress.' + name,
                lambda *args, name=name: seen.append(name),
            )

    app = make_app(setup)
    published(app)
    app.get('/smallpress/view/1')
    assert seen == [
        'before_create_article',
        'after_create_article',
        'before_save_article',
        'on_article_publishing',
        'before_view_article',
    ]


def test_tagging_search_gets_the_css():
    """``tagging.search = before_render(inject_css)(tagging.search)``."""
    app = make_app()
    published(app)
    page = app.get('/smallpress/tagging/search/news').json
    assert page['template'] == 'search'
    assert [a['uid'] for a in page['tagged']] == [1]
    assert page['css'] == ['/_pluggable/smallpress/css/style.css']
    # only there
    assert 'css' not in app.get('/smallpress/').json


def test_whoosh_index_made_at_start(tmp_path):
    make_app(smallpress_whoosh_index=str(tmp_path / 'index'))
    assert (tmp_path / 'index').is_dir()


def test_article_page_cached():
    """``tg_cache=article.caching_options``: the page rendered once per
    user and version of the article."""
    app = make_app()
    uid = published(app)
    renders = app.app.registry.settings['_smallpress']['renders']
    first = app.get('/smallpress/view/' + uid)
    del renders[:]
    again = app.get('/smallpress/view/' + uid)
    assert (again.body, again.content_type) == (
        first.body,
        'application/json',
    )
    assert renders == []
    app.get('/smallpress/view/' + uid, headers=EDITOR)  # another user
    assert renders == ['article']
    save(app, uid, content='Changed')
    # the key has the update's second: within it, the page is the old one
    article = app.app.registry.settings['_smallpress']['store'].articles[1]
    article.update_date -= timedelta(seconds=1)
    assert app.get('/smallpress/view/' + uid).json['content'] == 'Changed'
