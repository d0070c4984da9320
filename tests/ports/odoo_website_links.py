"""Port of Odoo's ``link_tracker`` and ``website_links`` controllers to
Pyramid with pyramid_hooks.

Originals: ``addons/link_tracker/controller/main.py`` (``LinkTracker``:
``/r/<string:code>``, the short link's redirect) and
``addons/website_links/controllers/main.py`` (``WebsiteUrl``: the
shortener's page and JSON routes, and ``/r/<string:code>+``, a link's
statistics), Odoo 19 (``type='jsonrpc'``, ``has_access``).  The models
are faked (``tests/ports/test_odoo_website_links.py``).

Odoo -> Pyramid:

- ``/r/<string:code>`` (link_tracker) and ``/r/<string:code>+``
  (website_links, which depends on it): Werkzeug tries the pattern with
  the ``+`` first, here the first one added that matches wins, so
  ``WebsiteUrl`` is activated before ``LinkTracker`` (the other order
  does not start, the message saying so);
- ``type='jsonrpc'`` is ``type='json'``; ``website=True`` is left out;
- ``request.env['ir.http'].is_a_bot()``, ``request.geoip`` -> the
  application's (faked);
- ``request.httprequest.remote_addr`` -> ``request.remote_addr``;
  ``request.httprequest.args.lists()`` -> ``request.GET.items()`` (a
  WebOb multidict gives each value of a repeated field);
- ``werkzeug.urls.url_parse(url).decode_query()`` / ``url_encode`` /
  ``.replace(query=...).to_url()`` -> ``urllib.parse``;
- ``raise NotFound()`` -> ``raise HTTPNotFound()``;
- ``request.redirect(url, code=301, local=False)``,
  ``request.redirect('/', code=301)`` -> the same, with the porting
  guide's ``request.redirect`` (``tests/ports/odoo_auth_signup.py``).

Kept as Odoo has it: ``add_code`` answers an existing code with
``new_code.read()`` on the count (an ``int``): an error (``-32603``
here, Odoo's ``AttributeError`` there).
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pyramid.httpexceptions import HTTPNotFound

from pyramid_hooks import Controller, route


class LinkTracker(Controller):
    @route('/r/<string:code>', type='http', auth='public')
    def full_url_redirect(self, code, **post):
        request = self.request
        if not request.env['ir.http'].is_a_bot():
            request.env['link.tracker.click'].sudo().add_click(
                code,
                ip=request.remote_addr,
                country_code=request.geoip.country_code,
            )
        redirect_url = request.env['link.tracker'].get_url_from_code(code)
        if not redirect_url:
            raise HTTPNotFound()

        # Keep the query parameters of the tracked link; the destination's
        # own keys (the UTM values among them) win.
        parts = urlsplit(redirect_url)
        redirect_query = parse_qsl(parts.query, keep_blank_values=True)
        own_keys = {key for key, _value in redirect_query}
        for key, value in request.GET.items():
            if key not in own_keys:
                redirect_query.append((key, value))
        redirect_url = urlunsplit(
            parts._replace(query=urlencode(redirect_query))
        )
        return request.redirect(redirect_url, code=301, local=False)


class WebsiteUrl(Controller):
    @route('/website_links/new', type='jsonrpc', auth='user', methods=['POST'])
    def create_shorten_url(self, **post):
        if not post.get('url'):
            return {'error': 'empty_url'}
        links = self.request.env['link.tracker']
        return links.search_or_create([post]).read()

    @route('/r', type='http', auth='user')
    def shorten_url(self, **post):
        env = self.request.env
        return self.request.render(
            'website_links.page_shorten_url',
            {
                'can_create_link_tracker': env['link.tracker'].has_access(
                    'create'
                ),
                'can_create_link_tracker_code': env[
                    'link.tracker.code'
                ].has_access('create'),
                **post,
            },
        )

    @route('/website_links/add_code', type='jsonrpc', auth='user')
    def add_code(self, **post):
        codes = self.request.env['link.tracker.code']
        link_id = codes.search(
            [('code', '=', post['init_code'])], limit=1
        ).link_id.id
        new_code = codes.search_count([
            ('code', '=', post['new_code']), ('link_id', '=', link_id),
        ])  # fmt: skip
        if new_code > 0:
            return new_code.read()
        return codes.create({'code': post['new_code'], 'link_id': link_id})[
            0
        ].read()

    @route('/website_links/recent_links', type='jsonrpc', auth='user')
    def recent_links(self, **post):
        return self.request.env['link.tracker'].recent_links(
            post['filter'], post['limit']
        )

    @route('/r/<string:code>+', type='http', auth='user')
    def statistics_shorten_url(self, code, **post):
        env = self.request.env
        code = env['link.tracker.code'].search([('code', '=', code)], limit=1)
        if code:
            return self.request.render(
                'website_links.graphs',
                {
                    'can_create_link_tracker_code': env[
                        'link.tracker.code'
                    ].has_access('create'),
                    **code.link_id.read()[0],
                },
            )
        return self.request.redirect('/', code=301)
