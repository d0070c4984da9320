"""Port of Odoo 17's ``web_editor`` controller (part of it) to Pyramid with
pyramid_hooks.

Original: ``addons/web_editor/controllers/main.py`` (Odoo 17), the routes
``/web_editor/font_to_img/...`` (an icon as a PNG for mails, at ten
patterns), ``/web_editor/checklist`` and ``/web_editor/stars`` (a click in
an HTML field saved), ``/web_editor/attachment/remove``,
``/web_editor/modify_image/<model("ir.attachment"):attachment>`` and
``/web_editor/shape/<module>/<path:filename>`` (an SVG recoloured by its
query).  The media library, the uploads, the assets editor and the AI
text generation are left out.  Pillow's drawing, the shapes' files and
the attachments are the application's, faked
(``tests/ports/test_odoo_web_editor.py``).

Odoo -> Pyramid:

- ten patterns on one handler, an untyped ``<icon>`` and ``<bg>`` beside
  ``<int:size>`` and ``<int:width>x<int:height>`` at the same depth:
  the same, in Odoo's order, which lists each ``int`` pattern before the
  untyped one it would lose to;
- ``Response()``, then ``response.mimetype`` and ``response.data``
  (Werkzeug's names) and headers one by one ->
  ``request.make_response(png, headers)``; Odoo's ``Connection: close``
  is left out: a hop-by-hop header no WSGI application may send
  (``make_response`` refuses it; waitress answers 500 to a ``Response``
  carrying it, WebTest lets it through);
- the ``font`` parameter (a file path the client may give in the query)
  is not read: the application draws with its own font;
- ``etree.fromstring(..., etree.HTMLParser())`` (lxml) ->
  :mod:`xml.etree.ElementTree` on the field's XHTML (lxml is not a
  dependency here); ``record[filename]`` -> ``getattr``;
- ``request.update_env(context=...)`` (``_clean_context``) has no
  counterpart and is left out;
- ``request.httprequest.path`` -> ``request.path_info`` (the porting
  guide's row: WebOb's ``path`` is percent-encoded and has the script
  name);
- ``raise werkzeug.exceptions.NotFound()`` / ``BadRequest()`` ->
  ``HTTPNotFound`` / ``HTTPBadRequest``;
- ``unslug(filename)[1]`` -> the id at the end of the slug;
- ``attachments_to_remove += attachment`` (recordsets) -> ``append``;
- ``get_existing_attachment`` (the same image made before) and
  ``alt_data`` (resized copies) are left out of ``modify_image``;
  ``generate_access_token()`` is the fake's.

Kept as Odoo 17 has it: ``remove`` ends with
``attachments_to_remove.unlink`` (not called), so no attachment is ever
removed; its answer, the views blocking a removal, is right.
"""

import re
import time
from xml.etree import ElementTree

from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound

from pyramid_hooks import Controller, route

STATIC_CACHE_LONG = 60 * 60 * 24 * 365
DEFAULT_PALETTE = {
    '1': '#3AADAA',
    '2': '#7C6576',
    '3': '#F6F6F6',
    '4': '#FFFFFF',
    '5': '#383E45',
}
REGEX_HEX = r'#[0-9A-F]{6,8}'
REGEX_RGBA = r'rgba?\(\d{1,3}, ?\d{1,3}, ?\d{1,3}(?:, ?[0-9.]{1,4})?\)'


def unslug(value):
    """``http_routing``'s ``unslug``: ``(name, id)`` of ``name-12``."""
    match = re.match(r'(?:(\w[\w-]*)-)?(-?\d+)\Z', value)
    return (match[1], int(match[2])) if match else (None, None)


class WebEditor(Controller):
    @route(
        [
            '/web_editor/font_to_img/<icon>',
            '/web_editor/font_to_img/<icon>/<color>',
            '/web_editor/font_to_img/<icon>/<color>/<int:size>',
            '/web_editor/font_to_img/<icon>/<color>/<int:width>x<int:height>',
            '/web_editor/font_to_img/<icon>/<color>/<int:size>/<int:alpha>',
            '/web_editor/font_to_img/<icon>/<color>/<int:width>x<int:height>'
            '/<int:alpha>',
            '/web_editor/font_to_img/<icon>/<color>/<bg>',
            '/web_editor/font_to_img/<icon>/<color>/<bg>/<int:size>',
            '/web_editor/font_to_img/<icon>/<color>/<bg>'
            '/<int:width>x<int:height>',
            '/web_editor/font_to_img/<icon>/<color>/<bg>'
            '/<int:width>x<int:height>/<int:alpha>',
        ],
        type='http',
        auth='none',
    )
    def export_icon_to_png(
        self, icon, color='#000', bg=None, size=100, alpha=255,
        font='/web/static/src/libs/fontawesome/fonts/fontawesome-webfont.ttf',
        width=None, height=None,
    ):  # fmt: skip
        """An icon of the font as a PNG, for mails (no web fonts there)."""
        size = max(width, height, 1) if width else size
        width = width or size
        height = height or size
        width = max(1, min(width, 512))
        height = max(1, min(height, 512))
        icon = chr(int(icon)) if icon.isdigit() else icon
        if bg is not None and bg.startswith('rgba'):
            bg = bg.replace('rgba', 'rgb')
            bg = ','.join(bg.split(',')[:-1]) + ')'
        png = self.request.env['ir.qweb'].draw_icon(
            icon, width, height, color, bg
        )
        now = time.time()
        return self.request.make_response(
            png,
            [
                ('Content-Type', 'image/png'),
                ('Cache-Control', 'public, max-age=604800'),
                ('Access-Control-Allow-Origin', '*'),
                ('Access-Control-Allow-Methods', 'GET, POST'),
                ('Date', time.strftime('%a, %d-%b-%Y %T GMT', time.gmtime())),
                (
                    'Expires',
                    time.strftime(
                        '%a, %d-%b-%Y %T GMT',
                        time.gmtime(now + 604800 * 60),
                    ),
                ),
            ],
        )

    @route('/web_editor/checklist', type='json', auth='user')
    def update_checklist(
        self, res_model, res_id, filename, checklistId, checked, **kwargs
    ):
        record = self.request.env[res_model].browse(res_id)
        value = getattr(record, filename, False)
        root = ElementTree.fromstring(f'<div>{value}</div>')
        checked = bool(checked)
        li = root.find(f".//li[@id='checkId-{checklistId}']")
        if li is None:
            return value
        classname = li.get('class', '')
        if ('o_checked' in classname) == checked:
            return value
        if checked:
            classname = f'{classname} o_checked'
        else:
            classname = re.sub(r'\s?o_checked\s?', '', classname)
        li.set('class', classname)
        value = ElementTree.tostring(root, encoding='unicode')[5:-6]
        record.write({filename: value})
        return value

    @route('/web_editor/stars', type='json', auth='user')
    def update_stars(self, res_model, res_id, filename, starsId, rating):
        record = self.request.env[res_model].browse(res_id)
        value = getattr(record, filename, False)
        root = ElementTree.fromstring(f'<div>{value}</div>')
        stars_widget = root.find(f".//span[@id='checkId-{starsId}']")
        if stars_widget is None:
            return value
        stars = [s for s in stars_widget if 'fa-star' in s.get('class', '')]
        for index, star in enumerate(stars):
            classname = star.get('class', '')
            if index < rating and (
                'fa-star' not in classname or 'fa-star-o' in classname
            ):
                classname = re.sub(r'\s?fa-star-o\s?', '', classname)
                star.set('class', f'{classname} fa-star')
            elif index >= rating and 'fa-star-o' not in classname:
                classname = re.sub(r'\s?fa-star\s?', '', classname)
                star.set('class', f'{classname} fa-star-o')
        value = ElementTree.tostring(root, encoding='unicode')[5:-6]
        record.write({filename: value})
        return value

    @route('/web_editor/attachment/remove', type='json', auth='user')
    def remove(self, ids, **kwargs):
        """Removes the web images no view uses; answers, by attachment,
        the views blocking its removal."""
        env = self.request.env
        attachments = env['ir.attachment']
        attachments_to_remove = attachments.browse([])
        removal_blocked_by = {}
        for attachment in attachments.browse(ids):
            url = attachment.local_url
            views = env['ir.ui.view'].search_arch(url)
            if views:
                removal_blocked_by[attachment.id] = [
                    {'id': v.id, 'name': v.name} for v in views
                ]
            else:
                attachments_to_remove.append(attachment)
        if attachments_to_remove:
            attachments_to_remove.unlink  # noqa: B018 - Odoo 17's, not called
        return removal_blocked_by

    @route(
        '/web_editor/modify_image/<model("ir.attachment"):attachment>',
        type='json',
        auth='user',
    )
    def modify_image(
        self, attachment, res_model=None, res_id=None, name=None, data=None,
        original_id=None, mimetype=None, alt_data=None,
    ):  # fmt: skip
        """A modified copy of an image; its URL for the page."""
        fields = {
            'original_id': attachment.id,
            'datas': data,
            'type': 'binary',
            'res_model': res_model or 'ir.ui.view',
            'mimetype': mimetype or attachment.mimetype,
            'name': name or attachment.name,
        }
        if fields['res_model'] == 'ir.ui.view':
            fields['res_id'] = 0
        elif res_id:
            fields['res_id'] = res_id
        if fields['mimetype'] == 'image/webp':
            fields['name'] = re.sub(
                r'\.(jpe?g|png)$', '.webp', fields['name'], flags=re.I
            )
        attachment = attachment.copy(fields)
        if attachment.public:
            return attachment.image_src
        attachment.generate_access_token()
        return f'{attachment.image_src}?access_token={attachment.access_token}'

    def _get_shape_svg(self, module, *segments):
        path = '/'.join((module, 'static', *segments))
        try:
            return self.request.env['ir.attachment'].file_open(path)
        except FileNotFoundError:
            raise HTTPNotFound() from None

    def _update_svg_colors(self, options, svg):
        user_colors = []
        svg_options = {}
        for key, value in options.items():
            color_match = re.match('^c([1-5])$', key)
            if not color_match:
                svg_options[key] = value
                continue
            if not re.match(
                rf'(?i)^{REGEX_HEX}$|^{REGEX_RGBA}$', value.replace(' ', '')
            ):
                raise HTTPBadRequest()  # arbitrary text in the SVG
            user_colors.append([value, color_match.group(1)])
        color_mapping = {
            DEFAULT_PALETTE[number]: color for color, number in user_colors
        }
        regex = '(?i)' + '|'.join(f'({color})' for color in color_mapping)

        def subber(match):
            key = match.group().upper()
            return color_mapping.get(key, key)

        return re.sub(regex, subber, svg), svg_options

    @route(
        ['/web_editor/shape/<module>/<path:filename>'],
        type='http',
        auth='public',
    )
    def shape(self, module, filename, **kwargs):
        """A background shape or an illustration, recoloured."""
        request = self.request
        if module == 'illustration':
            attachments = request.env['ir.attachment']
            attachment = attachments.browse(unslug(filename)[1])
            if (
                not attachment
                or attachment.type != 'binary'
                or not attachment.public
                or not attachment.url.startswith(request.path_info)
            ):
                # the shapes of data files, by URL
                found = attachments.search([
                    ('type', '=', 'binary'),
                    ('public', '=', True),
                    ('url', '=', request.path_info),
                ], limit=1)  # fmt: skip
                if not found:
                    raise HTTPNotFound()
                attachment = found[0]
            svg = attachment.raw.decode('utf-8')
        else:
            svg = self._get_shape_svg(module, 'shapes', filename)

        svg, options = self._update_svg_colors(kwargs, svg)
        flip_value = options.get('flip', False)
        transform = {'x': 'scaleX(-1);', 'y': 'scaleY(-1)', 'xy': 'scale(-1)'}
        if flip_value in transform:  # Odoo: one branch for each
            style = f'<svg style="transform: {transform[flip_value]}" '
            svg = svg.replace('<svg ', style, 1)
        return request.make_response(
            svg,
            [
                ('Content-type', 'image/svg+xml'),
                ('Cache-control', f'max-age={STATIC_CACHE_LONG}'),
            ],
        )
