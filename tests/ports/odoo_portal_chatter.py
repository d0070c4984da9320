"""Port of Odoo 17's portal chatter controllers to Pyramid with
pyramid_hooks.

Original: ``addons/portal/controllers/mail.py`` (``_check_special_access``,
``_message_post_helper``, ``PortalChatter``: ``portal_avatar``,
``portal_chatter_post``, ``portal_chatter_init``, ``portal_message_fetch``,
``portal_message_update_is_internal`` and its ``_portal_post_*`` hooks;
``MailController(mail.MailController)``: ``_redirect_to_record``), the
Odoo 17 file as stored at odoo/odoo commit
002d20f8324b7fa34597083c3b43bd56205fc761 (``_check_attachments_access``
and ``get_domain_list``, which 16.0 lacks, ``http.Stream``).
The ``mail`` module's ``MailController`` it extends (``/mail/view``), the
models, ``plaintext2html``, ``ir.binary`` and the attachments' processing
are faked (``tests/ports/odoo_fakes.py`` and the tests).

Odoo -> Pyramid:

- ``from odoo.http import request`` -> ``self.request``, passed as the
  first argument to the module's functions (``_check_special_access``,
  ``_message_post_helper``) and to ``cls._redirect_to_record``;
- ``request.env.user`` -> the ``res.users`` record of
  ``request.authenticated_userid``, ``None`` for the public user
  (``_current_user``);
- ``raise Forbidden()`` / ``NotFound()`` (werkzeug) -> ``HTTPForbidden`` /
  ``HTTPNotFound``; on a ``type='json'`` route a JSON-RPC ``-32000`` error
  with ``data.status`` (Odoo: code 200, ``werkzeug.exceptions.Forbidden``);
- ``AccessError`` from ``check_access_rights`` -> listed in
  ``hooks.controllers.expose_errors`` so clients still read
  ``error.data.message``;
- ``consteq`` -> :func:`hmac.compare_digest`;
- ``website=True`` -> dropped (no such key here);
- ``<int:width>x<int:height>``: two converters in one path segment, as
  written;
- ``stream.get_response()`` -> ``request.make_response``;
- ``request.redirect(url)`` -> ``HTTPFound(url)``;
- the ``@classmethod _redirect_to_record`` override calling
  ``super(MailController, cls)`` stays as written.
"""

from hmac import compare_digest
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound

from pyramid_hooks import Controller, route
from tests.ports import odoo_fakes
from tests.ports.odoo_fakes import AccessError, plaintext2html


def _current_user(request):
    """``request.env.user``: ``None`` is the public user."""
    uid = request.authenticated_userid
    if uid is None:
        return None
    return request.env['res.users'].browse(int(uid))


def _check_special_access(
    request, res_model, res_id, token='', _hash='', pid=False
):
    record = request.env[res_model].browse(res_id)
    if _hash and pid:  # a token signed for the partner pid
        return compare_digest(_hash, record._sign_token(pid))
    if token:  # the document's own token
        token_field = request.env[res_model]._mail_post_token_field
        return bool(
            record and compare_digest(getattr(record, token_field), token)
        )
    raise HTTPForbidden()


def _message_post_helper(
    request,
    res_model,
    res_id,
    message,
    token='',
    _hash=False,
    pid=False,
    nosubscribe=True,
    **kw,
):
    """Post *message* on any ``mail.thread`` record: with a token (or a
    signed token ``_hash`` for the partner ``pid``) regardless of access
    rights, else with the user's."""
    record = request.env[res_model].browse(res_id)
    user = _current_user(request)
    if token or (_hash and pid):
        pid = int(pid) if pid else False
        if not _check_special_access(
            request, res_model, res_id, token=token, _hash=_hash, pid=pid
        ):
            raise HTTPForbidden()
    else:  # checked early, to spare the work below
        record.check_access_rights(user, 'read')

    author_id = user.partner_id if user and user.partner_id else False
    if _hash and pid:  # signed token: the author is the signing partner
        author_id = pid
    elif token:
        if user is None:
            # the document's customer writes, when the visitor is public
            author_id = getattr(record, 'partner_id', None) or author_id
        elif not author_id:
            raise HTTPNotFound()

    email_from = None
    if author_id and 'email_from' not in kw:
        partner = request.env['res.partner'].browse(author_id)
        email_from = partner.email_formatted if partner.email else None

    post_args = dict(
        body=message,
        message_type=kw.pop('message_type', 'comment'),
        subtype_xmlid=kw.pop('subtype_xmlid', 'mail.mt_comment'),
        author_id=author_id,
        **kw,
    )
    if email_from:
        post_args['email_from'] = email_from
    return record.with_context(
        mail_create_nosubscribe=nosubscribe
    ).message_post(**post_args)


class PortalChatter(Controller):
    def _portal_post_filter_params(self):
        return ['token', 'pid']

    def _portal_post_check_attachments(
        self, attachment_ids, attachment_tokens
    ):
        self.request.env['ir.attachment'].check_attachments_access(
            attachment_ids, attachment_tokens
        )

    def _portal_post_has_content(
        self, res_model, res_id, message, attachment_ids=None, **kw
    ):
        """Whether there is something to post."""
        return bool(message) or bool(attachment_ids)

    @route(
        '/mail/avatar/mail.message/<int:res_id>/author_avatar/'
        '<int:width>x<int:height>',
        type='http',
        auth='public',
    )
    def portal_avatar(
        self, res_id=None, height=50, width=50, access_token=None
    ):
        """The avatar of a message's author in the portal's chatter."""
        request = self.request
        message = None
        if access_token:
            found = request.env['mail.message'].browse(int(res_id))
            if found and _check_special_access(
                request, found.model, found.res_id, token=access_token
            ):
                message = found
        # without a message: the placeholder image
        return request.env['ir.binary'].image_response(
            request, message, width=int(width), height=int(height)
        )

    @route('/mail/chatter_post', type='json', methods=['POST'], auth='public')
    def portal_chatter_post(
        self,
        res_model,
        res_id,
        message,
        attachment_ids=None,
        attachment_tokens=None,
        **kw,
    ):
        """Post *message* and/or *attachment_ids* on the record; answer the
        new message's values."""
        if not self._portal_post_has_content(
            res_model,
            res_id,
            message,
            attachment_ids=attachment_ids,
            attachment_tokens=attachment_tokens,
            **kw,
        ):
            return None
        res_id = int(res_id)
        self._portal_post_check_attachments(
            attachment_ids or [], attachment_tokens or []
        )
        result = {'default_message': message}
        if message:  # received as plain text, kept as HTML
            message = plaintext2html(message)
        post_values = {
            'res_model': res_model,
            'res_id': res_id,
            'message': message,
            'send_after_commit': False,
            'attachment_ids': False,  # added below
        }
        post_values.update(
            (name, kw.get(name)) for name in self._portal_post_filter_params()
        )
        post_values['_hash'] = kw.get('hash')
        posted = _message_post_helper(self.request, **post_values)
        result['default_message_id'] = posted.id
        if attachment_ids:
            attachments = self.request.env['ir.attachment'].browse_many(
                attachment_ids
            )
            posted.write({'attachment_ids': attachment_ids})
            result['default_attachment_ids'] = [
                {'id': a.id, 'name': a.name, 'mimetype': a.mimetype}
                for a in attachments
            ]
        return result

    @route('/mail/chatter_init', type='json', auth='public')
    def portal_chatter_init(
        self, res_model, res_id, domain=False, limit=False, **kwargs
    ):
        user = _current_user(self.request)
        is_user_public = user is None
        message_data = self.portal_message_fetch(
            res_model, res_id, domain=domain, limit=limit, **kwargs
        )
        display_composer = False
        if kwargs.get('allow_composer'):
            display_composer = bool(kwargs.get('token')) or not is_user_public
        return {
            'messages': message_data['messages'],
            'options': {
                'message_count': message_data['message_count'],
                'is_user_public': is_user_public,
                'is_user_employee': bool(user and user.employee),
                'is_user_publisher': bool(
                    user
                    and user.has_group(
                        'website.group_website_restricted_editor'
                    )
                ),
                'display_composer': display_composer,
                'partner_id': user.partner_id if user else False,
            },
        }

    @route('/mail/chatter_fetch', type='json', auth='public')
    def portal_message_fetch(
        self, res_model, res_id, domain=False, limit=10, offset=0, **kw
    ):
        request = self.request
        if not domain:
            domain = []
        # the record's website messages only, with a body or attachments
        # (Odoo's domains: terms side by side are and-ed)
        domain = [
            *domain,
            ('model', '=', res_model),
            ('res_id', '=', res_id),
            '|',
            ('body', '!=', ''),
            ('attachment_ids', '!=', []),
        ]
        messages = request.env['mail.message']
        if kw.get('token'):
            if not _check_special_access(
                request, res_model, res_id, token=kw.get('token')
            ):
                raise HTTPForbidden()
            user = _current_user(request)
            # outside employees see no internal notes
            if not (user and user.employee):
                domain = [*messages._get_search_domain_share(), *domain]
        found = messages.search(domain)
        return {
            'messages': [
                m.portal_message_format() for m in found[offset:][:limit]
            ],
            'message_count': len(found),
        }

    @route('/mail/update_is_internal', type='json', auth='user')
    def portal_message_update_is_internal(self, message_id, is_internal):
        message = self.request.env['mail.message'].browse(int(message_id))
        message.write({'is_internal': is_internal})
        return message.is_internal


class MailController(odoo_fakes.MailController):
    @classmethod
    def _redirect_to_record(
        cls, request, model, res_id, access_token=None, **kwargs
    ):
        """Without access to the document but with its valid access
        token, go to the document's portal page, with ``pid`` and
        ``hash`` added to identify the recipient in the chatter."""
        parent = super()._redirect_to_record
        if not model or not res_id or model not in request.env:
            return parent(
                request, model, res_id, access_token=access_token, **kwargs
            )
        if getattr(request.env[model], 'portal_mixin', False):
            record = request.env[model].browse(res_id)
            try:
                if record is None:
                    raise AccessError('no such document')
                record.check_access_rights(_current_user(request), 'read')
            except AccessError:
                if (
                    record is not None
                    and record.access_token
                    and access_token
                    and compare_digest(record.access_token, access_token)
                ):
                    action = record._get_access_action(force_website=True)
                    if action['type'] == 'ir.actions.act_url':
                        pid = kwargs.get('pid')
                        hash_ = kwargs.get('hash')
                        url = action['url']
                        if pid and hash_:
                            parts = urlsplit(url)
                            query = dict(parse_qsl(parts.query))
                            query.update([('pid', pid), ('hash', hash_)])
                            url = urlunsplit(
                                parts._replace(query=urlencode(query))
                            )
                        return HTTPFound(url)
        return parent(
            request, model, res_id, access_token=access_token, **kwargs
        )
