"""Port of Odoo 17's ``mass_mailing`` controller to Pyramid with
pyramid_hooks.

Original: ``addons/mass_mailing/controllers/main.py``
(``MassMailController``: ``_check_mailing_email_token``,
``_fetch_blocklist_record``, ``_fetch_user_information``,
``mailing_unsubscribe_oneclick``, ``mailing_confirm_unsubscribe`` and its
``POST``, ``mailing_unsubscribe``, ``_mailing_unsubscribe_from_list``,
``_mailing_unsubscribe_from_document``, ``mail_blocklist_add``,
``mail_blocklist_remove``, ``mailing_unsubscribe_placeholder_link``,
``track_mail_open``, ``full_url_redirect``, ``mailing_report_deactivate``),
Odoo 17.0 (commit 0133b8d).  The subscription page's lists and
opt-out reasons, the feedback route, the view in browser and the
previews are left out; mailings, their signed tokens, contacts, the
blocklist and QWeb are faked (``tests/ports/test_odoo_mass_mailing.py``).

Odoo -> Pyramid:

- ``request.env.user._is_public()`` -> ``request.authenticated_userid
  is None``; ``request.env.user`` -> :meth:`MassMailController._user`;
- ``raise BadRequest()`` / ``NotFound()`` / ``Unauthorized()`` ->
  ``HTTPBadRequest`` / ``HTTPNotFound`` / ``HTTPUnauthorized``, and the
  ``except`` clauses catch those; ``consteq`` -> ``hmac.compare_digest``;
- ``mailing_unsubscribe_oneclick`` (``POST``, ``csrf=False``: the mail
  client posts ``List-Unsubscribe=One-Click``, RFC 8058) called
  ``self.mailing_unsubscribe(..., **post)``, a handler that takes no
  ``**post``: Odoo's ``route`` wrapper drops the arguments a handler does
  not take, also when another handler calls it; here the call is the
  method's own, so ``**post`` is left out (it was a ``TypeError``, a 500,
  for every mail client);
- ``Response(status=200)`` -> the same, Pyramid's;
  ``response.mimetype``/``.data`` -> ``request.make_response``;
- ``request.redirect(url, code=301, local=False)`` -> the porting
  guide's ``request.redirect`` (``tests/ports/odoo_auth_signup``), which
  takes ``local``; ``request.httprequest.remote_addr`` ->
  ``request.remote_addr``;
- ``csrf=True`` on the JSON routes is what JSON routes are anyway
  (Odoo and here: no token is read), so it is left out;
- ``website=True``, ``multilang=False``, ``sitemap=False`` have no
  counterpart and are left out.
"""

import base64
import hmac

from pyramid.httpexceptions import (
    HTTPBadRequest,
    HTTPNotFound,
    HTTPUnauthorized,
)
from pyramid.response import Response

from pyramid_hooks import Controller, route

GIF = base64.b64decode(
    b'R0lGODlhAQABAIAAANvf7wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=='
)


def email_normalize(text):
    """``odoo.tools.email_normalize``: lowercased, ``False`` for what is
    no address."""
    text = (text or '').strip().lower()
    return (
        text if text.count('@') == 1 and '.' in text.split('@')[1] else False
    )


class MassMailController(Controller):
    def _user(self):
        """``request.env.user``, ``None`` for the public user."""
        uid = self.request.authenticated_userid
        return (
            None if uid is None else self.request.env['res.users'].browse(uid)
        )

    def _check_mailing_email_token(
        self,
        mailing_id,
        document_id,
        email,
        hash_token,
        required_mailing_id=False,
    ):
        """The mailing the credentials are for: a token is needed unless a
        mailing user is logged in; raises ``HTTPBadRequest``,
        ``HTTPNotFound`` or ``HTTPUnauthorized``."""
        user = self._user()
        if not hash_token:
            if user is None:
                raise HTTPBadRequest()
            if (
                mailing_id
                and 'mass_mailing.group_mass_mailing_user' not in user.groups
            ):
                raise HTTPBadRequest()
        if hash_token and (not mailing_id or not email or not document_id):
            raise HTTPBadRequest()
        if mailing_id:
            mailing_sudo = self.request.env['mailing.mailing'].browse(
                mailing_id
            )
            if mailing_sudo is None:
                raise HTTPNotFound()
            expected = mailing_sudo._generate_mailing_recipient_token(
                document_id, email
            )
            if hash_token and not hmac.compare_digest(expected, hash_token):
                raise HTTPUnauthorized()
        else:
            if required_mailing_id:
                raise HTTPBadRequest()
            mailing_sudo = None  # Odoo: the empty recordset
        return mailing_sudo

    def _fetch_blocklist_record(self, email):
        if not email_normalize(email):
            return None
        return self.request.env['mail.blacklist']._get(email_normalize(email))

    def _fetch_user_information(self, email, hash_token):
        user = self._user()
        if hash_token or user is None:
            return email, hash_token
        return user.email_normalized, None

    # subscription management

    @route(
        '/mailing/<int:mailing_id>/unsubscribe_oneclick',
        type='http',
        auth='public',
        methods=['POST'],
        csrf=False,  # the mail client posts, with no session
    )
    def mailing_unsubscribe_oneclick(
        self, mailing_id, document_id=None, email=None, hash_token=None, **post
    ):
        # Odoo passes **post on; its route wrapper drops what
        # mailing_unsubscribe does not take (List-Unsubscribe=One-Click)
        self.mailing_unsubscribe(
            mailing_id,
            document_id=document_id,
            email=email,
            hash_token=hash_token,
        )
        return Response(status=200)

    @route('/mailing/<int:mailing_id>/confirm_unsubscribe', auth='public')
    def mailing_confirm_unsubscribe(
        self, mailing_id, document_id=None, email=None, hash_token=None
    ):
        mailing = self.request.env['mailing.mailing'].browse(mailing_id)
        email_found, hash_token_found = self._fetch_user_information(
            email, hash_token
        )
        try:
            self._check_mailing_email_token(
                mailing_id, document_id, email_found, hash_token_found,
                required_mailing_id=True,
            )  # fmt: skip
        except HTTPNotFound as e:  # no leak of which ids exist
            raise HTTPUnauthorized() from e
        question = (
            'Are you sure you want to unsubscribe from our mailing list?'
        )
        if mailing.mailing_model_real == 'mailing.contact':
            public = ', '.join(
                m.name for m in mailing.contact_list_ids if m.is_public
            )
            if public:
                question = (
                    'Are you sure you want to unsubscribe from the mailing '
                    f'list "{public}"?'
                )
        # the form posts to /mailing/confirm_unsubscribe with the session's
        # csrf_token in a hidden field, as Odoo's inline template does
        return self.request.render(
            'mass_mailing.confirm_unsubscribe',
            {
                'mailing_id': mailing_id,
                'document_id': document_id,
                'email': email,
                'hash_token': hash_token,
                'unsubscribed_str': question,
            },
        )

    @route('/mailing/confirm_unsubscribe', auth='public', methods=['POST'])
    def mailing_confirm_unsubscribe_post(
        self, mailing_id, document_id=None, email=None, hash_token=None
    ):
        email_found, hash_token_found = self._fetch_user_information(
            email, hash_token
        )
        try:
            mailing_sudo = self._check_mailing_email_token(
                int(mailing_id), document_id, email_found, hash_token_found,
                required_mailing_id=True,
            )  # fmt: skip
        except HTTPNotFound as e:
            raise HTTPUnauthorized() from e
        if mailing_sudo.mailing_on_mailing_list:
            self._mailing_unsubscribe_from_list(
                mailing_sudo, document_id, email_found, hash_token_found
            )
        else:
            self._mailing_unsubscribe_from_document(
                mailing_sudo, document_id, email_found, hash_token_found
            )
        return self.request.render(
            'mass_mailing.unsubscribed',
            {
                'settings_url': f'/mailing/{mailing_id}/unsubscribe'
                f'?document_id={document_id}&email={email}'
                f'&hash_token={hash_token}',
                'success_str': 'Successfully unsubscribed!',
            },
        )

    @route('/mailing/<int:mailing_id>/unsubscribe', auth='public')
    def mailing_unsubscribe(
        self, mailing_id, document_id=None, email=None, hash_token=None
    ):
        email_found, hash_token_found = self._fetch_user_information(
            email, hash_token
        )
        try:
            mailing_sudo = self._check_mailing_email_token(
                mailing_id, document_id, email_found, hash_token_found,
                required_mailing_id=True,
            )  # fmt: skip
        except HTTPNotFound as e:
            raise HTTPUnauthorized() from e
        if mailing_sudo.mailing_on_mailing_list:
            return self._mailing_unsubscribe_from_list(
                mailing_sudo, document_id, email_found, hash_token_found
            )
        return self._mailing_unsubscribe_from_document(
            mailing_sudo, document_id, email_found, hash_token_found
        )

    def _mailing_unsubscribe_from_list(
        self, mailing, document_id, email, hash_token
    ):
        lists = mailing.contact_list_ids
        for mailing_list in lists:
            mailing_list._update_subscription_from_email(email, opt_out=True)
        if not any(m.is_public for m in lists):
            name = 'You are no longer part of our mailing list(s).'
        else:
            public = ', '.join(m.name for m in lists if m.is_public)
            name = f'You are no longer part of the {public} mailing list.'
        return self.request.render(
            'mass_mailing.page_mailing_unsubscribe',
            dict(
                self._prepare_mailing_subscription_values(
                    mailing, document_id, email, hash_token
                ),
                last_action='subscription_updated',
                unsubscribed_name=name,
            ),
        )

    def _mailing_unsubscribe_from_document(
        self, mailing, document_id, email, hash_token
    ):
        how = f'document {document_id}' if document_id else 'direct link usage'
        message = (
            'Blocklist request from unsubscribe link of mailing '
            f'{mailing.id} ({how})'
        )
        self.request.env['mail.blacklist']._add(email, message=message)
        return self.request.render(
            'mass_mailing.page_mailing_unsubscribe',
            dict(
                self._prepare_mailing_subscription_values(
                    mailing, document_id, email, hash_token
                ),
                last_action='blocklist_add',
                unsubscribed_name='You are no longer part of our services '
                'and will not be contacted again.',
            ),
        )

    def _prepare_mailing_subscription_values(
        self, mailing, document_id, email, hash_token
    ):
        blocklist = self._fetch_blocklist_record(email)
        return {
            'document_id': document_id,
            'email': email,
            'email_valid': bool(email_normalize(email)),
            'hash_token': hash_token,
            'mailing_id': mailing.id if mailing else False,
            'blocklist_possible': blocklist is not None,
            'is_blocklisted': blocklist.active if blocklist else False,
        }

    # blocklist, from the subscription page's scripts

    @route('/mailing/blocklist/add', type='json', auth='public')
    def mail_blocklist_add(
        self, mailing_id=None, document_id=None, email=None, hash_token=None
    ):
        email_found, hash_token_found = self._fetch_user_information(
            email, hash_token
        )
        try:
            mailing_sudo = self._check_mailing_email_token(
                mailing_id, document_id, email_found, hash_token_found,
                required_mailing_id=False,
            )  # fmt: skip
        except HTTPBadRequest:
            return 'error'
        except (HTTPNotFound, HTTPUnauthorized):
            return 'unauthorized'
        if mailing_sudo:
            message = (
                f'Blocklist request from portal of mailing {mailing_sudo.id}'
            )
        else:
            message = 'Blocklist request from portal'
        self.request.env['mail.blacklist']._add(email_found, message=message)
        return True

    @route('/mailing/blocklist/remove', type='json', auth='public')
    def mail_blocklist_remove(
        self, mailing_id=None, document_id=None, email=None, hash_token=None
    ):
        email_found, hash_token_found = self._fetch_user_information(
            email, hash_token
        )
        try:
            self._check_mailing_email_token(
                mailing_id, document_id, email_found, hash_token_found,
                required_mailing_id=False,
            )  # fmt: skip
        except HTTPBadRequest:
            return 'error'
        except (HTTPNotFound, HTTPUnauthorized):
            return 'unauthorized'
        self.request.env['mail.blacklist']._remove(
            email_found, message='Blocklist removal request from portal'
        )
        return True

    @route('/unsubscribe_from_list', auth='public')
    def mailing_unsubscribe_placeholder_link(self, **post):
        """The placeholder of the mailing editor's links."""
        return self.request.redirect('/mailing/my', code=301, local=True)

    # tracking

    @route('/mail/track/<int:mail_id>/<string:token>/blank.gif', auth='public')
    def track_mail_open(self, mail_id, token, **post):
        """The e-mail was opened: a signed 1x1 GIF."""
        request = self.request
        expected = request.env['mail.mail']._generate_mail_recipient_token(
            mail_id
        )
        if not hmac.compare_digest(token, expected):
            raise HTTPUnauthorized()
        request.env['mailing.trace'].set_opened(mail_id)
        return request.make_response(GIF, [('Content-Type', 'image/gif')])

    @route('/r/<string:code>/m/<int:mailing_trace_id>', auth='public')
    def full_url_redirect(self, code, mailing_trace_id, **post):
        """A tracked link: the click is counted, then the link's URL,
        on any site (``local=False``)."""
        request = self.request
        request.env['link.tracker.click'].add_click(
            code,
            ip=request.remote_addr,
            country_code=request.geoip.country_code,
            mailing_trace_id=mailing_trace_id,
        )
        redirect_url = request.env['link.tracker'].get_url_from_code(code)
        if not redirect_url:
            raise HTTPNotFound()
        return request.redirect(redirect_url, code=301, local=False)

    # mailing management

    @route('/mailing/report/unsubscribe', auth='public')
    def mailing_report_deactivate(self, token, user_id):
        """A mailing user stops the mailing reports, from a signed link."""
        request = self.request
        if not token or not user_id:
            raise HTTPBadRequest()
        user = request.env['res.users'].browse(int(user_id))
        if (
            not user
            or 'mass_mailing.group_mass_mailing_user' not in user.groups
            or not hmac.compare_digest(
                token,
                request.env['mailing.mailing']._generate_mailing_report_token(
                    user.id
                ),
            )
        ):
            raise HTTPUnauthorized()
        request.env['ir.config_parameter'].params[
            'mass_mailing.mass_mailing_reports'
        ] = False
        return request.render('mass_mailing.mailing_report_deactivated', {})
