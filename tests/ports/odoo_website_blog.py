"""Port of Odoo's ``website_blog`` controller to Pyramid with
pyramid_hooks.

Original: ``addons/website_blog/controllers/main.py`` (``WebsiteBlog``:
``tags_list``, ``nav_list``, ``_prepare_blog_values``, ``blog``,
``blog_feed``, ``old_blog_post``, ``blog_post``), Odoo master after 18.0
(commit 0071337, ``odoo.fields.Domain``; the routes are those of Odoo 17,
whose ``blog_post`` ends with ``request.session.modified = True`` where
this one has ``request.session.touch()``).  Structured data, the fuzzy
search, the editor's unpublished counts and the tag categories are left
out; the models, QWeb and ``website.pager`` are faked
(``tests/ports/odoo_fakes.py``, :func:`pager` and the tests).  Odoo's
``website.controllers.main.QueryURL`` is rewritten below
(:class:`QueryURL`).

Odoo -> Pyramid:

- the eight patterns of ``blog`` stay as written, in Odoo's order (the
  static ``page``/``tag`` segments before the ``model(...)`` ones, which
  is also the order the list is tried in here);
- ``model("blog.post", "[('blog_id','=',blog.id)]")`` takes a second
  argument, a domain that Odoo reads only to build the sitemap: the
  application's converter must accept it (``model_to_python(request,
  value, model, domain='[]')``), or the application does not start;
- Odoo's website redirects (301) a ``GET`` whose slug is not the
  record's (``/blog/1``, ``/blog/old-name-1`` -> ``/blog/new-name-1``):
  that is ``ir.http``'s, not the controller's, and a converter here only
  converts, so the handlers call :meth:`WebsiteBlog._redirect_to_slugs`;
- ``request.redirect(url, code=302)`` / ``301`` -> the same, with the
  porting guide's ``request.redirect`` (``tests/ports/odoo_auth_signup``);
- ``request.httprequest.path`` -> ``request.path_info``, the path's
  text as Werkzeug's is (``request.path`` is percent-encoded: a tag
  written ``café-1`` in the URL was not found in it, and not redirected);
  ``.full_path`` -> ``path_info`` and the query string;
  ``request.httprequest.method`` -> ``request.method``;
- ``request.session.touch()`` (Odoo 17: ``request.session.modified =
  True``) after appending to a list kept in the session ->
  ``request.session.changed()``: Pyramid saves what is assigned, not
  what is changed in place, and ``modified = True`` on its session is an
  attribute nobody reads;
- ``website=True``, ``sitemap=True``, ``list_as_website_content=`` have
  no counterpart and are left out (an unknown option does not start);
- ``request.render(..., headers=[('Content-Type',
  'application/atom+xml')])`` -> the fake ``request.render`` takes them.
"""

import re
from datetime import datetime
from urllib.parse import urlencode

from pyramid.response import Response

from pyramid_hooks import Controller, route


def slugify(name):
    """``odoo.tools.slugify``, ASCII only."""
    return re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')


def slug(record):
    """``ir.http._slug``: ``name-id``."""
    return f'{slugify(record.name)}-{record.id}'


UNSLUG = re.compile(r'(?:([\w-]+)-)?([0-9]{1,18})$')


def unslug(value):
    """``ir.http._unslug``: ``(name, id)``, ``(None, None)`` for a value
    that is no slug."""
    found = UNSLUG.match(value)
    if found is None:
        return None, None
    return found[1], int(found[2])


class QueryURL:
    """website's ``QueryURL``: a path under *path*, the *path_args*
    (``blog``, ``tag``) as ``/name/slug`` segments, the other arguments
    in the query string; called with more arguments, it adds them."""

    def __init__(self, path='', path_args=None, **args):
        self.path = path
        self.path_args = list(path_args or [])
        self.args = args

    def __call__(self, path=None, path_args=None, **kw):
        prefix = path or self.path
        for key, value in self.args.items():
            kw.setdefault(key, value)
        names = self.path_args + [
            name for name in path_args or () if name not in self.path_args
        ]
        segments, query = {}, []
        for key, value in kw.items():
            if value and key in names:
                segments[key] = (
                    value if isinstance(value, str) else slug(value)
                )
            elif value:
                values = value if isinstance(value, (list, set)) else [value]
                query.extend((key, item) for item in values)
        url = ''.join(f'/{k}/{segments[k]}' for k in names if k in segments)
        if query:
            url += '?' + urlencode(query)
        return url if url.startswith(prefix) else prefix + url

    def __str__(self):
        return self()


def pager(url, total, page=1, step=30, url_args=None):
    """``website.pager``, the URLs and the offset: page 1 is *url*, the
    others ``url/page/N``."""
    page_count = max(1, -(-total // step))
    page = max(1, min(page, page_count))
    query = '?' + urlencode(url_args) if url_args else ''

    def page_url(number):
        return (url if number == 1 else f'{url}/page/{number}') + query

    return {
        'page_count': page_count,
        'offset': (page - 1) * step,
        'page': {'num': page, 'url': page_url(page)},
        'pages': [
            {'num': n, 'url': page_url(n)} for n in range(1, page_count + 1)
        ],
    }


def now():
    """``fields.Datetime.now()``, as the string the fake posts hold."""
    return datetime.now().strftime('%Y-%m-%d %H:%M:%S')


class WebsiteBlog(Controller):
    _blog_post_per_page = 12  # multiple of 2, 3, 4
    _post_comment_per_page = 10

    def tags_list(self, tag_ids, current_tag):
        """The tags of the link that toggles *current_tag*."""
        tag_ids = list(tag_ids)
        if current_tag in tag_ids:
            tag_ids.remove(current_tag)
        else:
            tag_ids.append(current_tag)
        tags = [self.request.env['blog.tag'].browse(i) for i in tag_ids]
        return ','.join(slug(tag) for tag in tags if tag)

    def nav_list(self, blog=None):
        """The archive: ``{year: [{'date_begin', 'date_end', 'month',
        'year'}]}`` of the months that have posts."""
        domain = [('blog_id', '=', blog)] if blog else []
        domain.append(('post_date', '<=', now()))
        months = sorted(
            {
                p.post_date[:7]
                for p in self.request.env['blog.post'].search(domain)
            },
            reverse=True,
        )
        result = {}
        for month in months:
            year, number = month.split('-')
            end = (
                f'{int(year) + 1}-01'
                if number == '12'
                else f'{year}-{int(number) + 1:02}'
            )
            result.setdefault(year, []).append({
                'date_begin': f'{month}-01 00:00:00',
                'date_end': f'{end}-01 00:00:00',
                'month': datetime.strptime(month, '%Y-%m').strftime('%B'),
                'year': year,
            })  # fmt: skip
        return result

    def _redirect_to_slugs(self, *records):
        """Odoo's website answers a ``GET`` or ``HEAD`` whose
        ``model(...)`` segments are not the records' slugs with a 301 to
        the URL that has them (``ir.http``); the records are the path's
        second, third... segments (``/blog/<blog>/<post>``)."""
        request = self.request
        if request.method not in ('GET', 'HEAD'):
            return None
        segments = request.path_info.split('/')
        canonical = list(segments)
        for index, record in enumerate(records, 2):
            canonical[index] = slug(record)
        if canonical == segments:
            return None
        location = request.script_name + '/'.join(canonical)
        if request.query_string:
            location += '?' + request.query_string
        return request.redirect(location, code=301)

    def _prepare_blog_values(
        self, blogs, blog=False, date_begin=False, date_end=False,
        tags=False, state=False, page=False, search=None, **post,
    ):  # fmt: skip
        """The values of the blogs' index page or of one blog; a
        redirect where the tags of the URL are not their slugs."""
        request = self.request
        BlogTag = request.env['blog.tag']
        domain = [('website_published', '=', True), ('post_date', '<=', now())]
        if blog:
            domain.append(('blog_id', '=', blog))
        if date_begin and date_end:
            domain += [
                ('post_date', '>=', date_begin),
                ('post_date', '<=', date_end),
            ]
        active_tags = []
        if tags:
            ids = [unslug(tag)[1] for tag in tags.split(',')]
            active_tags = [t for t in map(BlogTag.browse, ids) if t]
            fixed_tag_slug = ','.join(slug(t) for t in active_tags)
            if fixed_tag_slug != tags:
                path = f'{request.path_info}?{request.query_string}'
                new_url = path.replace(
                    f'/tag/{tags}',
                    fixed_tag_slug and f'/tag/{fixed_tag_slug}',
                    1,
                )
                if new_url != path:  # replaced: no loop
                    return request.redirect(new_url, code=301)
            domain.append(('tag_ids', 'in', [t.id for t in active_tags]))

        offset = (page - 1) * self._blog_post_per_page
        found = request.env['blog.post'].search(domain, order='post_date desc')
        if search:  # website._search_with_fuzzy, without the fuzz
            found = [p for p in found if search.lower() in p.name.lower()]
        posts = found[offset : offset + self._blog_post_per_page]

        url_args = {}
        if search:
            url_args['search'] = search
        if date_begin and date_end:
            url_args['date_begin'] = date_begin
            url_args['date_end'] = date_end
        return {
            'date_begin': date_begin,
            'date_end': date_end,
            'nav_list': self.nav_list(blog),
            'pager': pager(
                url=request.path_info.partition('/page/')[0],
                total=len(found),
                page=page,
                step=self._blog_post_per_page,
                url_args=url_args,
            ),
            'posts': posts,
            'tag': tags,
            'active_tag_ids': [t.id for t in active_tags],
            'blogs': blogs,
            'blog': blog,
            'search': search,
            'search_count': len(found),
        }

    @route(
        [
            '/blog',
            '/blog/page/<int:page>',
            '/blog/tag/<string:tag>',
            '/blog/tag/<string:tag>/page/<int:page>',
            '/blog/<model("blog.blog"):blog>',
            '/blog/<model("blog.blog"):blog>/page/<int:page>',
            '/blog/<model("blog.blog"):blog>/tag/<string:tag>',
            '/blog/<model("blog.blog"):blog>/tag/<string:tag>/page/<int:page>',
        ],
        type='http',
        auth='public',
    )
    def blog(self, blog=None, tag=None, page=1, search=None, **opt):
        request = self.request
        blogs = request.env['blog.blog'].search([], order='sequence')
        if not blog and len(blogs) == 1:
            url = QueryURL(f'/blog/{slug(blogs[0])}', search=search, **opt)()
            return request.redirect(url, code=302)
        if blog and (redirect := self._redirect_to_slugs(blog)):
            return redirect

        date_begin, date_end = opt.get('date_begin'), opt.get('date_end')
        if tag and request.method == 'GET':
            # tag-1,tag-2 -> tag-1
            tags = tag.split(',')
            if len(tags) > 1:
                url = QueryURL(
                    '' if blog else '/blog', ['blog', 'tag'], blog=blog,
                    tag=tags[0], date_begin=date_begin, date_end=date_end,
                    search=search,
                )()  # fmt: skip
                return request.redirect(url, code=302)

        values = self._prepare_blog_values(
            blogs=blogs, blog=blog, tags=tag, page=page, search=search, **opt
        )
        if isinstance(values, Response):  # a redirect
            return values
        if blog:
            values['main_object'] = blog
        values['blog_url'] = QueryURL(
            '/blog', ['blog', 'tag'], blog=blog, tag=tag,
            date_begin=date_begin, date_end=date_end, search=search,
        )  # fmt: skip
        return request.render('website_blog.blog_post_short', values)

    @route('/blog/<model("blog.blog"):blog>/feed', type='http', auth='public')
    def blog_feed(self, blog, limit='15', **kwargs):
        posts = self.request.env['blog.post'].search(
            [('blog_id', '=', blog)],
            limit=min(int(limit), 50),
            order='post_date desc',
        )
        return self.request.render(
            'website_blog.blog_feed',
            {'blog': blog, 'posts': posts},
            headers=[('Content-Type', 'application/atom+xml')],
        )

    @route(
        '/blog/<model("blog.blog"):blog>/post/<model("blog.post"):blog_post>',
        type='http',
        auth='public',
    )
    def old_blog_post(self, blog, blog_post, **post):
        # Compatibility pre-v14
        return self.request.redirect(
            f'/blog/{slug(blog)}/{slug(blog_post)}', code=301
        )

    @route(
        '/blog/<model("blog.blog"):blog>/'
        """<model("blog.post", "[('blog_id','=',blog.id)]"):blog_post>""",
        type='http',
        auth='public',
    )
    def blog_post(
        self, blog, blog_post, tag_id=None, page=1, enable_editor=None, **post
    ):
        """One post, with the link to the blog's next one; the visit
        counted once per session."""
        request = self.request
        if redirect := self._redirect_to_slugs(blog, blog_post):
            return redirect
        BlogPost = request.env['blog.post']
        date_begin, date_end = post.get('date_begin'), post.get('date_end')
        blogs = request.env['blog.blog'].search([], order='sequence')
        tag = request.env['blog.tag'].browse(int(tag_id)) if tag_id else None
        blog_url = QueryURL(
            '', ['blog', 'tag'], blog=blog_post.blog_id, tag=tag,
            date_begin=date_begin, date_end=date_end,
        )  # fmt: skip
        if blog_post.blog_id is not blog:
            return request.redirect(
                f'/blog/{slug(blog_post.blog_id)}/{slug(blog_post)}', code=301
            )

        all_post = BlogPost.search(
            [('blog_id', '=', blog), ('post_date', '<=', now())]
        )
        if blog_post not in all_post:
            return request.redirect(f'/blog/{slug(blog_post.blog_id)}')
        index = all_post.index(blog_post)
        next_post = (
            all_post[(index + 1) % len(all_post)]
            if len(all_post) > 1
            else False
        )

        values = {
            'tags': request.env['blog.tag'].search([]),
            'tag': tag,
            'blog': blog,
            'blog_post': blog_post,
            'blogs': blogs,
            'main_object': blog_post,
            'nav_list': self.nav_list(blog),
            'enable_editor': enable_editor,
            'next_post': next_post,
            'date': date_begin,
            'blog_url': blog_url,
        }
        response = request.render('website_blog.blog_post_complete', values)

        if blog_post.id not in request.session.get('posts_viewed', []):
            blog_post.visits += 1  # sql.increment_fields_skiplock
            if not request.session.get('posts_viewed'):
                request.session['posts_viewed'] = []
            request.session['posts_viewed'].append(blog_post.id)
            # Odoo: request.session.touch() (17: .modified = True)
            request.session.changed()
        return response
