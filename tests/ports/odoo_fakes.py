"""What the Odoo ports stand on, faked: ``request.env`` (dict-backed
models), ``request.website``, ``request.render`` (QWeb stands as a JSON
dump of the template's name and values), ``request.geoip``, Odoo's
``model("...")`` route converter, website_sale's ``WebsiteSale``
controller (the parts ``website_sale_delivery`` and
``website_sale_wishlist`` extend), mail's
``MailController`` (the part portal extends), ``AccessError`` and
``plaintext2html``.

``config.include('tests.ports.odoo_fakes')`` installs them (the converter
is ``include_model_converter``); each model keeps records in a dict, new
for every application.
"""

import html
import itertools
import json
import re
from urllib.parse import urlencode

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.response import Response
from pyramid.threadlocal import get_current_request

from pyramid_hooks import Controller, route


class Record:
    """A record: attributes from *values*; ``str()`` is its name."""

    _model = None

    def __init__(self, **values):
        self.__dict__.update(values)

    def __str__(self):
        return str(getattr(self, 'name', f'{self._model}({self.id})'))

    def __bool__(self):
        return True

    def sudo(self):
        return self

    def write(self, values):
        self.__dict__.update(values)


class Model:
    """A model: ``browse``, ``search`` (``(field, '=' | 'in' | '<=' |
    '>=', value)`` terms, ``order='field [desc]'``), ``create``;
    ``sudo()`` is itself."""

    record_class = Record

    def __init__(self, name):
        self.name = name
        self.records = {}
        self.ids = itertools.count(1)

    def sudo(self):
        return self

    def with_context(self, **context):
        return self

    def create(self, values):
        record = self.record_class(id=next(self.ids), **values)
        record._model = self.name
        self.records[record.id] = record
        return record

    def browse(self, record_id):
        return self.records.get(record_id)

    def search(self, domain, limit=None, order=None):
        def match(record):
            for field, op, value in domain:
                actual = getattr(record, field, None)
                if op == '=' and actual != value:
                    return False
                if op == '<=' and not actual <= value:
                    return False
                if op == '>=' and not actual >= value:
                    return False
                if op == 'in' and not (
                    set(value) & set(actual)
                    if isinstance(actual, list)
                    else actual in value
                ):
                    return False
            return True

        found = [r for r in self.records.values() if match(r)]
        if order:  # 'field' or 'field desc', one field
            field, _, direction = order.partition(' ')
            found.sort(
                key=lambda r: getattr(r, field),
                reverse=direction.lower() == 'desc',
            )
        return found[:limit] if limit else found


class Bundle:
    def __init__(self, name):
        self.name = name

    def js(self):
        return f'/* {self.name}.js */'

    def css(self):
        return f'/* {self.name}.css */'


class QWeb(Model):
    def _get_asset_bundle(self, bundle):
        return Bundle(bundle)


class Monetary(Model):
    def value_to_html(self, value, options):
        return f'{options["display_currency"]} {value:.2f}'


class Visitors(Model):
    def _get_visitor_from_request(self):
        visitor_id = get_current_request().headers.get('X-Visitor')
        return self.browse(int(visitor_id)) if visitor_id else None


class Env(dict):
    """``request.env``: model name -> :class:`Model`."""

    def __missing__(self, name):
        model = self[name] = Model(name)
        return model


def make_env():
    env = Env()
    env['ir.qweb'] = QWeb('ir.qweb')
    env['ir.qweb.field.monetary'] = Monetary('ir.qweb.field.monetary')
    env['website.visitor'] = Visitors('website.visitor')
    return env


def render(request, template, values=None, headers=None):
    """``request.render``: the template's name and values, as JSON."""
    body = json.dumps(
        {'template': template, 'values': values or {}},
        default=str,
        sort_keys=True,
    )
    response = Response(body, content_type='application/json', charset='utf-8')
    for name, value in headers or ():
        response.headers[name] = value
    return response


def page(response):
    """What :func:`render` rendered: ``(template, values)``."""
    body = json.loads(response.text)
    return body['template'], body['values']


class GeoIP:
    def __init__(self, request):
        self.country_code = request.headers.get('X-Country')


class Website:
    """``request.website``: the visitor's cart is the order named by the
    ``X-Order`` header."""

    def __init__(self, request):
        self.request = request

    def sale_get_order(self, force_create=False):
        order_id = self.request.headers.get('X-Order')
        if order_id is None:
            return None
        return self.request.env['sale.order'].browse(int(order_id))


# Odoo's ``model("...")`` converter: a slug (``name-12``) or an id; ASCII
# digits, at most 18 (an int, not a 4,300-digit ValueError), as
# docs/porting_odoo.rst advises (Odoo's ``\d`` takes any Unicode digit).
MODEL_REGEX = r'(?:[\w-]+-)?[0-9]{1,18}'


def model_to_python(request, value, model, domain='[]'):
    """*domain* (``model("blog.post", "[('blog_id','=',blog.id)]")``) is
    what Odoo builds the sitemap with; its ``to_python`` ignores it."""
    record_id = int(re.search(r'[0-9]+$', value)[0])
    record = request.env[model].browse(record_id)
    if record is None:
        raise HTTPNotFound()
    return record


def includeme(config):
    env = make_env()
    config.registry.odoo_env = env
    config.add_request_method(lambda r: r.registry.odoo_env, 'env', True)
    config.add_request_method(Website, 'website', reify=True)
    config.add_request_method(GeoIP, 'geoip', reify=True)
    config.add_request_method(render, 'render')


def include_model_converter(config):
    """Odoo's ``model("...")`` converter, as an application's own."""
    config.add_route_converter('model', MODEL_REGEX, model_to_python)


class WebsiteSale(Controller):
    """website_sale's controller, the part its extensions meet."""

    @route(['/shop', '/shop/page/<int:page>'], type='http', auth='public')
    def shop(self, page=0, **post):
        products = self.request.env['product.product'].search([])
        values = {'products': products, 'page': page}
        values.update(self._get_additional_shop_values(values))
        return self.request.render('website_sale.products', values)

    def _get_additional_shop_values(self, values):
        """Hook to update values used for rendering website_sale.products
        template."""
        return {}

    @route(['/shop/payment'], type='http', auth='public')
    def payment(self, **post):
        order = self.request.website.sale_get_order()
        if not order:
            return HTTPFound('/shop')
        values = self._get_shop_payment_values(order, **post)
        return self.request.render('website_sale.payment', values)

    def _get_shop_payment_values(self, order, **kwargs):
        return {'order': order, 'errors': []}

    @route(['/shop/tracking_last_order'], type='json', auth='public')
    def tracking_cart(self, **post):
        order = self.request.website.sale_get_order()
        return self.order_2_return_dict(order) if order else {}

    def order_lines_2_google_api(self, order_lines):
        return [
            {'name': line.name, 'price': line.price_unit}
            for line in order_lines
        ]

    def order_2_return_dict(self, order):
        return {
            'transaction': {'id': order.id, 'revenue': order.amount_total},
            'lines': self.order_lines_2_google_api(order.order_line),
        }


class AccessError(Exception):
    """``odoo.exceptions.AccessError``: a message meant for the user."""


def plaintext2html(text):
    """``odoo.tools.plaintext2html``, the escaping and paragraphs."""
    return f'<p>{html.escape(text)}</p>'.replace('\n', '<br>')


class MailController(Controller):
    """mail's controller, the part portal extends: ``/mail/view`` sends
    the visitor to a record."""

    @route('/mail/view', type='http', auth='public')
    def mail_action_view(
        self, model=None, res_id=None, access_token=None, **kwargs
    ):
        res_id = int(res_id) if res_id else None
        return self._redirect_to_record(
            self.request, model, res_id, access_token, **kwargs
        )

    @classmethod
    def _redirect_to_record(
        cls, request, model, res_id, access_token=None, **kwargs
    ):
        if request.authenticated_userid is None:
            return HTTPFound(
                '/web/login?' + urlencode({'redirect': request.path_qs})
            )
        return HTTPFound(f'/web#model={model}&id={res_id}')
