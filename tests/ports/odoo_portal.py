"""Port of Odoo's customer portal controller, and of sale's extension of
it, to Pyramid with pyramid_hooks.

Originals: ``addons/portal/controllers/portal.py`` (``CustomerPortal``:
``/my``, ``/my/counters``, ``/my/account``, the addresses and their
form, ``/my/security``, ``/my/deactivate_account``,
``/portal/attachment/remove``, the ``pager`` and ``get_records_pager``
helpers, ``_document_check_access``, ``_show_report``), Odoo master
after 18.0 (commit 7ef3b29, ``type='jsonrpc'``), and
``addons/sale/controllers/portal.py`` (``CustomerPortal(portal.
CustomerPortal)``: the home page's counters, the orders paged and
sorted, an order's page by access token or as a report, its acceptance
(a ``type='json'`` route) and its refusal), Odoo 13/14 (commit 009bcc5,
``payment.acquirer``).
Records, QWeb, reports, VAT checks, payments and the chatter are faked
or left out (``tests/ports/test_odoo_portal.py``).

Odoo -> Pyramid:

- ``request.env.user`` -> the application's ``request.user``;
  ``request.lang.code`` -> ``request.locale_name``;
- ``response = request.render(...)``, then ``response.headers[...]``,
  and ``request.render(..., headers={...})`` -> the same (the fake's
  ``render`` is a ``Response``);
- ``raise Forbidden()`` -> ``raise HTTPForbidden()`` (``-32000`` on a
  JSON route); ``UserError`` and ``AccessError`` on JSON routes ->
  ``hooks.controllers.expose_errors``;
- ``request.httprequest.method`` -> ``request.method``;
  ``request.httprequest.args`` -> ``request.GET``, whose ``get(name)``
  is the last value of a field given twice, Werkzeug's the first:
  ``getall(name)[:1]``;
- ``request.session.session_token = token`` (an attribute Odoo's
  session saves) -> ``request.session['session_token'] = token``;
- ``request.session.logout()`` -> ``forget(request)``, its headers on
  the redirect;
- ``werkzeug.urls.url_encode(url_args)``, which leaves out ``None``
  values -> ``urlencode`` of the others (:func:`pager`): the orders'
  pager passes ``date_begin=None``, which ``urlencode`` writes
  ``date_begin=None``, a filter on the date ``'None'`` at page 2;
- ``consteq`` -> ``hmac.compare_digest``; ``content_disposition`` ->
  an ASCII ``filename=`` (the names are ``re.sub(r'\\W+', '_', ...)``
  of ASCII references here);
- ``str2bool(value or 'false')`` -> :func:`str2bool`;
- ``website=True``, ``sitemap=False``, ``readonly=True`` are left out
  (a ``ConfigurationError`` names them); ``_()`` is left out.
"""

import hmac
import json
import math
import re
from datetime import date
from urllib.parse import urlencode

from pyramid.httpexceptions import HTTPForbidden
from pyramid.security import forget

from pyramid_hooks import Controller, route
from tests.ports.odoo_fakes import AccessError

EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')


class UserError(Exception):
    """``odoo.exceptions.UserError``."""


class MissingError(Exception):
    """``odoo.exceptions.MissingError``."""


class AccessDenied(Exception):
    """``odoo.exceptions.AccessDenied``: a wrong password."""

    def __init__(self, message='Access Denied'):
        super().__init__(message)


def str2bool(value):
    """``odoo.tools.str2bool`` for the form's text."""
    return str(value).lower() not in ('', '0', 'false', 'off', 'no')


def pager(url, total, page=1, step=30, scope=5, url_args=None):
    """The values of ``website.pager``: *page* clamped to the pages, the
    URLs of the pages around it (``url/page/N``, *url_args* in their
    query)."""
    page_count = math.ceil(total / step)
    page = max(1, min(int(page if str(page).isdigit() else 1), page_count))
    scope -= 1
    pmin = max(page - scope // 2, 1)
    pmax = min(pmin + scope, page_count)
    if pmax - pmin < scope:
        pmin = max(pmax - scope, 1)
    # Werkzeug's url_encode leaves out None; urlencode writes 'None'
    query = urlencode(
        {k: v for k, v in (url_args or {}).items() if v is not None}
    )

    def link(num):
        path = f'{url}/page/{num}' if num > 1 else url
        return {'url': f'{path}?{query}' if query else path, 'num': num}

    return {
        'page_count': page_count,
        'offset': (page - 1) * step,
        'page': link(page),
        'page_first': link(1),
        'page_previous': link(max(pmin, page - 1)),
        'page_next': link(min(pmax, page + 1)),
        'page_last': link(page_count),
        'pages': [link(num) for num in range(pmin, pmax + 1)],
    }


def get_records_pager(ids, current):
    """The previous and next records of *current* in *ids* (the list
    kept in the session), with their access tokens."""
    if current.id not in ids:
        return {}
    at = ids.index(current.id)
    model = current.env_model

    def url(record_id):
        record = model.browse(record_id)
        return f'{record.access_url}?access_token={record.access_token}'

    return {
        'prev_record': at > 0 and url(ids[at - 1]),
        'next_record': at < len(ids) - 1 and url(ids[at + 1]),
    }


def get_error(error, path=''):
    """The text at *path* (``'password.old'``) of an error dict."""
    for key in path.split('.') if path else []:
        if not isinstance(error, dict):
            return None
        error = error.get(key)
    return error if isinstance(error, str) else None


FRAMES = {
    'X-Frame-Options': 'SAMEORIGIN',
    'Content-Security-Policy': "frame-ancestors 'self'",
}


class CustomerPortal(Controller):
    _items_per_page = 80

    def _prepare_portal_layout_values(self):
        """The values of every ``/my`` page: the customer's salesman."""
        partner = self.request.user.partner_id
        sales_user = partner.user_id or partner.commercial_partner_id.user_id
        return {'sales_user': sales_user, 'page_name': 'home'}

    def _prepare_home_portal_values(self, counters):
        """The badges of ``/my``: ``{'<name>_count': n}`` for each name of
        *counters* an extension counts."""
        return {}

    @route(['/my/counters'], type='jsonrpc', auth='user')
    def counters(self, counters, **kw):
        cache = self.request.session.get('portal_counters', {}).copy()
        values = self._prepare_home_portal_values(counters)
        cache.update(
            {k: bool(v) for k, v in values.items() if k.endswith('_count')}
        )
        if cache != self.request.session.get('portal_counters'):
            self.request.session['portal_counters'] = cache
        return values

    @route(['/my', '/my/home'], type='http', auth='user')
    def home(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(self._prepare_home_portal_values([]))
        return self.request.render('portal.portal_my_home', values)

    @route(['/my/account'], type='http', auth='user')
    def account(self, **kwargs):
        values = self._prepare_my_account_rendering_values(**kwargs)
        response = self.request.render('portal.portal_my_details', values)
        response.headers.update(FRAMES)
        return response

    def _prepare_my_account_rendering_values(self, redirect='/my', **kwargs):
        return {
            'page_name': 'my_details',
            **self._prepare_portal_layout_values(),
            **self._prepare_address_form_values(
                self.request.user.partner_id,
                use_delivery_as_billing=True,
                callback=redirect,
            ),
        }

    @route('/my/addresses', type='http', auth='user')
    def my_addresses(self, **query_params):
        partner = self.request.user.partner_id
        data = self._prepare_address_data(partner)
        return self.request.render('portal.my_addresses', {
            'partner_sudo': partner, **data, 'page_name': 'my_addresses',
            'use_delivery_as_billing': len(data['billing_addresses']) == 1,
            'address_url': '/my/address',
        })  # fmt: skip

    def _prepare_address_data(self, partner):
        """The customer's addresses and his company's complete ones."""
        partners = self.request.env['res.partner']
        commercial = partner.commercial_partner_id
        family = [p for p in partners.search([('active', '=', True)])
                  if p.commercial_partner_id is commercial]  # fmt: skip
        billing = [p for p in family if p is partner or p is commercial
                   or p.type in ('invoice', 'other')]  # fmt: skip
        delivery = [p for p in family if p is partner or p is commercial
                    or p.type in ('delivery', 'other')]  # fmt: skip
        if partner is not commercial:  # its company's, if complete
            if not self._check_address(commercial, 'billing'):
                billing.remove(commercial)
            if not self._check_address(commercial, 'delivery'):
                delivery.remove(commercial)
        return {'billing_addresses': billing, 'delivery_addresses': delivery}

    def _check_address(self, partner, address_type):
        fields = self._get_mandatory_address_fields(partner.country_id)
        return all(getattr(partner, name, None) for name in fields)

    def _get_mandatory_billing_address_fields(self, country):
        return self._get_mandatory_address_fields(country)

    def _get_mandatory_delivery_address_fields(self, country):
        return self._get_mandatory_address_fields(country)

    def _get_mandatory_address_fields(self, country):
        names = {'name', 'email', 'street', 'city', 'country_id', 'phone'}
        if country and country.state_required:
            names.add('state_id')
        if country and country.zip_required:
            names.add('zip')
        return names

    @route('/my/address', type='http', methods=['GET'], auth='user')
    def portal_address(
        self, partner_id=None, address_type='billing',
        use_delivery_as_billing=False, **query_params,
    ):  # fmt: skip
        partner = self._editable_partner(partner_id)
        values = self._prepare_address_form_values(
            partner, address_type=address_type,
            use_delivery_as_billing=str2bool(
                use_delivery_as_billing or 'false'
            ),
            **query_params,
        )  # fmt: skip
        values['page_name'] = 'address_form'
        return self.request.render('portal.address_management', values)

    def _editable_partner(self, partner_id):
        """The address *partner_id* names, if the customer may edit it
        (``Forbidden`` if not), or ``None`` for a new one."""
        partner = partner_id and self.request.env['res.partner'].browse(
            int(partner_id)
        )
        if partner and not partner._can_be_edited_by(self.request.user):
            raise HTTPForbidden()
        return partner or None

    def _prepare_address_form_values(
        self, partner, address_type='billing', use_delivery_as_billing=False,
        callback='', **kwargs,
    ):  # fmt: skip
        current = self.request.user.partner_id
        country = (
            partner or current
        ).country_id or self.request.user.country_id
        return {
            'partner_sudo': partner,
            'partner_id': partner.id if partner else None,
            'address_type': address_type,
            'callback': callback,
            'country': country,
            'countries': self.request.env['res.country'].search([]),
            'is_used_as_billing': address_type == 'billing'
            or use_delivery_as_billing,
            'use_delivery_as_billing': use_delivery_as_billing,
            'discard_url': callback or '/my/addresses',
        }

    @route('/my/address/submit', type='http', methods=['POST'], auth='user')
    def portal_address_submit(self, partner_id=None, **form_data):
        partner = self._editable_partner(partner_id)
        _partner, feedback = self._create_or_update_address(
            partner, **form_data
        )
        return json.dumps(feedback)

    def _create_or_update_address(
        self, partner, address_type='billing', use_delivery_as_billing=False,
        callback='/my/addresses', required_fields=False, **form_data,
    ):  # fmt: skip
        both = str2bool(use_delivery_as_billing or 'false')
        values, _extra = self._parse_form_data(form_data)
        invalid, missing, messages = self._validate_address_values(
            values, partner, address_type, both, required_fields or ''
        )
        if messages:
            return partner, {'invalid_fields': sorted(invalid | missing),
                             'messages': messages}  # fmt: skip
        if not partner:
            self._complete_address_values(values, address_type, both)
            partner = self.request.env['res.partner'].create(values)
        else:
            partner.write(values)
        return partner, {'redirectUrl': callback}

    def _parse_form_data(self, form_data):
        """The form's fields the customer may write, and the others."""
        writable = self.request.env['res.partner'].frontend_writable
        values, extra = {}, {}
        for key, value in form_data.items():
            if isinstance(value, str):
                value = value.strip()
            if key in writable:
                if key in ('country_id', 'state_id') and value.isdigit():
                    value = self.request.env['res.country'].browse(int(value))
                values[key] = value
            elif value:
                extra[key] = value
        return values, extra

    def _validate_address_values(
        self, values, partner, address_type, both, required_fields
    ):
        invalid, missing, messages = set(), set(), []
        renamed = partner and values.get('name', partner.name) != partner.name
        if renamed and not partner.can_edit_name:
            invalid.add('name')
            messages.append(
                'Changing your name is not allowed once document(s) '
                'have been issued for your account.'
            )
        if values.get('email') and not EMAIL.match(values['email']):
            invalid.add('email')
            messages.append(
                'Invalid Email! Please enter a valid email address.'
            )
        required = {name for name in required_fields.split(',') if name}
        country = values.get('country_id')
        if address_type == 'delivery' or both:
            required |= self._get_mandatory_delivery_address_fields(country)
        if address_type == 'billing' or both:
            required |= self._get_mandatory_billing_address_fields(country)
        missing = {name for name in required if not values.get(name)}
        if missing:
            messages.append('Some required fields are empty.')
        return invalid, missing, messages

    def _complete_address_values(self, values, address_type, both):
        values['lang'] = self.request.locale_name
        if both:
            values['type'] = 'other'
        else:
            values['type'] = {'billing': 'invoice'}.get(
                address_type, address_type
            )
        values['parent_id'] = (
            self.request.user.partner_id.commercial_partner_id
        )
        values['active'] = True

    @route(
        '/my/address/country_info/<model("res.country"):country>',
        type='jsonrpc', auth='public', methods=['POST'],
    )  # fmt: skip
    def portal_address_country_info(self, country, address_type, **kw):
        if address_type == 'billing':
            required = self._get_mandatory_billing_address_fields(country)
        else:
            required = self._get_mandatory_delivery_address_fields(country)
        return {
            'fields': country.address_fields,
            'states': [(s.id, s.name, s.code) for s in country.state_ids],
            'phone_code': country.phone_code,
            'required_fields': sorted(required),
        }

    @route(
        '/my/address/archive', type='jsonrpc', auth='user', methods=['POST']
    )
    def address_archive(self, partner_id):
        partner = self.request.env['res.partner'].browse(int(partner_id))
        if not partner or not partner._can_be_edited_by(self.request.user):
            raise HTTPForbidden()
        if partner is self.request.user.partner_id:
            raise UserError('You cannot archive your main address')
        partner.active = False

    # Security

    @route('/my/security', type='http', auth='user', methods=['GET', 'POST'])
    def security(self, **post):
        values = self._prepare_portal_layout_values()
        values['get_error'] = get_error
        values['open_deactivate_modal'] = False
        if self.request.method == 'POST':
            values.update(self._update_password(
                post['old'].strip(), post['new1'].strip(), post['new2'].strip()
            ))  # fmt: skip
        return self.request.render(
            'portal.portal_my_security', values, FRAMES.items()
        )

    def _update_password(self, old, new1, new2):
        for key, value in (('old', old), ('new1', new1), ('new2', new2)):
            if not value:
                return {
                    'errors': {
                        'password': {
                            key: 'You cannot leave any password empty.'
                        }
                    }
                }
        if new1 != new2:
            return {
                'errors': {
                    'password': {
                        'new2': 'The new password and its confirmation '
                        'must be identical.'
                    }
                }
            }
        try:
            self.request.user.change_password(old, new1)
        except AccessDenied as error:
            message = error.args[0]
            if message == AccessDenied().args[0]:
                message = (
                    'The old password you provided is incorrect, your '
                    'password was not changed.'
                )
            return {'errors': {'password': {'old': message}}}
        # Odoo's session takes it as an attribute; Pyramid's is a dict
        self.request.session['session_token'] = (
            self.request.user.session_token()
        )
        return {'success': {'password': True}}

    @route(
        '/my/deactivate_account', type='http', auth='user', methods=['POST']
    )
    def deactivate_account(self, validation, password, **post):
        values = self._prepare_portal_layout_values()
        values.update(get_error=get_error, open_deactivate_modal=True)
        user = self.request.user
        if validation != user.login:
            values['errors'] = {'deactivate': 'validation'}
        elif user.password != password:
            values['errors'] = {'deactivate': 'password'}
        else:
            user.active = False
            response = self.request.redirect(
                '/web/login?message=Account%20deleted!'
            )
            response.headers.extend(forget(self.request))
            return response
        return self.request.render(
            'portal.portal_my_security', values, FRAMES.items()
        )

    @route('/portal/attachment/remove', type='jsonrpc', auth='public')
    def attachment_remove(self, attachment_id, access_token=None):
        try:
            attachment = self._document_check_access(
                'ir.attachment', int(attachment_id), access_token=access_token
            )
        except (AccessError, MissingError):
            raise UserError(
                'The attachment does not exist or you do not have the '
                'rights to access it.'
            ) from None
        if (
            attachment.res_model != 'mail.compose.message'
            or attachment.res_id != 0
        ):
            raise UserError(
                f'The attachment {attachment.name} cannot be removed because '
                'it is not in a pending state.'
            )
        del self.request.env['ir.attachment'].records[attachment.id]
        return True

    def _document_check_access(
        self, model_name, document_id, access_token=None
    ):
        """The record, if the user may read it or gives its token."""
        document = self.request.env[model_name].browse(document_id)
        if document is None:
            raise MissingError('This document does not exist.')
        if not document.readable_by(self.request.user):
            token = document.access_token
            if not (
                access_token
                and token
                and hmac.compare_digest(token, access_token)
            ):
                raise AccessError('You may not read this document.')
        return document

    def _get_page_view_values(
        self,
        document,
        access_token,
        values,
        session_history,
        no_breadcrumbs,
        **kwargs,
    ):
        values['object'] = document
        if access_token:
            values['no_breadcrumbs'] = no_breadcrumbs
            values['access_token'] = values['token'] = access_token
        for key in ('error', 'warning', 'success', 'pid', 'hash'):
            if kwargs.get(key):
                values[key] = kwargs[key]
        history = self.request.session.get(session_history, [])
        values.update(get_records_pager(history, document))
        return values

    def _show_report(self, model, report_type, report_ref, download=False):
        if report_type not in ('html', 'pdf', 'text'):
            raise UserError(f'Invalid report type: {report_type}')
        report = model.render_report(report_ref, report_type)
        headers = self._get_http_headers(model, report_type, report, download)
        return self.request.make_response(
            report, headers=list(headers.items())
        )

    def _get_http_headers(self, model, report_type, report, download):
        headers = {
            'Content-Type': 'application/pdf'
            if report_type == 'pdf'
            else 'text/html',
            'Content-Length': len(report),
        }
        if report_type == 'pdf':
            name = re.sub(r'\W+', '_', model.name)
            kind = 'attachment' if download else 'inline'
            headers['Content-Disposition'] = f'{kind}; filename="{name}.pdf"'
        return headers


SORTINGS = {
    'date': {'label': 'Order Date', 'order': 'date_order desc'},
    'name': {'label': 'Reference', 'order': 'name'},
    'stage': {'label': 'Stage', 'order': 'state'},
}


class SaleCustomerPortal(CustomerPortal):
    """sale's ``CustomerPortal(portal.CustomerPortal)``."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if 'order_count' in counters:
            values['order_count'] = len(self._orders(['sale', 'done']))
        if 'quotation_count' in counters:
            values['quotation_count'] = len(self._orders(['sent', 'cancel']))
        return values

    def _orders(self, states, order=None):
        commercial = self.request.user.partner_id.commercial_partner_id
        return self.request.env['sale.order'].search(
            [
                ('commercial_partner_id', '=', commercial),
                ('state', 'in', states),
            ],
            order=order,
        )

    @route(
        ['/my/orders', '/my/orders/page/<int:page>'], type='http', auth='user'
    )
    def portal_my_orders(
        self, page=1, date_begin=None, date_end=None, sortby=None, **kw
    ):
        values = self._prepare_portal_layout_values()
        sortby = sortby or 'date'
        orders = self._orders(['sale', 'done'], SORTINGS[sortby]['order'])
        if date_begin and date_end:
            orders = [
                o for o in orders if date_begin < o.date_order <= date_end
            ]
        pages = pager(
            url='/my/orders',
            url_args={'date_begin': date_begin, 'date_end': date_end,
                      'sortby': sortby},
            total=len(orders), page=page, step=self._items_per_page,
        )  # fmt: skip
        orders = orders[
            pages['offset'] : pages['offset'] + self._items_per_page
        ]
        self.request.session['my_orders_history'] = [o.id for o in orders][
            :100
        ]
        values.update({
            'date': date_begin, 'orders': [o.name for o in orders],
            'page_name': 'order', 'pager': pages, 'default_url': '/my/orders',
            'searchbar_sortings': SORTINGS, 'sortby': sortby,
        })  # fmt: skip
        return self.request.render('sale.portal_my_orders', values)

    @route(['/my/orders/<int:order_id>'], type='http', auth='public')
    def portal_order_page(
        self,
        order_id,
        report_type=None,
        access_token=None,
        message=False,
        download=False,
        **kw,
    ):
        try:
            order = self._document_check_access(
                'sale.order', order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return self.request.redirect('/my')
        if report_type in ('html', 'pdf', 'text'):
            return self._show_report(
                order,
                report_type,
                'sale.action_report_saleorder',
                download=download,
            )
        today = date.today().isoformat()
        key = f'view_quote_{order.id}'
        if access_token and self.request.session.get(key) != today:
            self.request.session[key] = today  # a text: the session is JSON
            order.messages.append(
                f'Quotation viewed by customer {order.partner_id.name}'
            )
        values = self._get_page_view_values(
            order, access_token,
            {'sale_order': order, 'token': access_token, 'message': message},
            'my_orders_history', False, **kw,
        )  # fmt: skip
        return self.request.render('sale.sale_order_portal_template', values)

    @route(['/my/orders/<int:order_id>/accept'], type='json', auth='public')
    def portal_quote_accept(
        self, order_id, access_token=None, name=None, signature=None
    ):
        # from the query string if not in the params, as Odoo does: its
        # first value (WebOb's GET.get gives the last, Werkzeug's the first)
        first = self.request.GET.getall('access_token')[:1]
        access_token = access_token or (first[0] if first else None)
        try:
            order = self._document_check_access(
                'sale.order', order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return {'error': 'Invalid order.'}
        if order.state != 'sent':
            return {
                'error': 'The order is not in a state requiring customer '
                'signature.'
            }
        if not signature:
            return {'error': 'Signature is missing.'}
        order.write(
            {'signed_by': name, 'signature': signature, 'state': 'sale'}
        )
        url = f'{order.access_url}?message=sign_ok'
        return {'force_refresh': True, 'redirect_url': url}

    @route(
        ['/my/orders/<int:order_id>/decline'],
        type='http',
        auth='public',
        methods=['POST'],
    )
    def decline(self, order_id, access_token=None, **post):
        try:
            order = self._document_check_access(
                'sale.order', order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return self.request.redirect('/my')
        message = post.get('decline_message')
        query = ''
        if order.state == 'sent' and message:
            order.state = 'cancel'
            order.messages.append(message)
        else:
            query = '&message=cant_reject'
        return self.request.redirect(
            f'{order.access_url}?access_token={access_token}{query}'
        )
