"""Port of Odoo's user profile controller to Pyramid with pyramid_hooks.

Original: ``addons/website_profile/controllers/main.py``
(``WebsiteProfile``), Odoo master after 18.0 (commit 25efaf4,
``type='jsonrpc'``): a user's avatar and profile, the profile's edition
(a JSON route), the ranks and badges, the users' ranking paged, the
validation email and its link.  The images are faked (the avatar is the
record's field as it is), the karma positions are computed in Python
(Odoo's ``_get_karma_position`` is SQL), ``group_by`` ranks by the
karma gained as the fake records hold it
(``tests/ports/test_odoo_website_profile.py``).

Odoo -> Pyramid:

- ``request.env.user`` -> the application's ``request.user``;
  ``request.env.uid`` -> ``request.user.id``;
- ``return werkzeug.exceptions.Forbidden()`` -> ``return
  HTTPForbidden()`` (a returned HTTP exception is the reply);
  ``raise request.not_found()`` -> ``raise HTTPNotFound()``;
- ``request.env['ir.binary']._get_image_stream_from(...).get_response()``
  -> the fake's ``image_response``, a ``Response``;
- ``request.website.pager`` -> ``pager`` (the blog port's);
- ``Domain(...)`` / ``Domain.AND`` -> lists of terms, the search by name
  a filter in Python (the fakes have no ``ilike``);
- ``_()`` / ``_lt()`` left out (no translation here);
- ``website=True``, ``sitemap=``, ``readonly=``,
  ``list_as_website_content=`` are left out (a ``ConfigurationError``
  names them).
"""

from datetime import date, timedelta

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound
from pyramid.response import Response

from pyramid_hooks import Controller, route
from tests.ports.odoo_website_blog import pager

IMAGE_SIZES = {'image_128': 128, 'image_256': 256, 'avatar_128': 128,
               'avatar_256': 256}  # fmt: skip


def image_response(user, field, width, height):
    """``ir.binary``'s image stream of *field*, as a response."""
    body = (getattr(user, field, None) or 'placeholder').encode()
    response = Response(body, content_type='image/png')
    response.headers['X-Size'] = f'{width}x{height}'
    return response


class WebsiteProfile(Controller):
    _users_per_page = 30
    _pager_max_pages = 5

    # Profile

    def _check_avatar_access(self, user_id, **post):
        """A published user with karma (who took part in the forum or
        the courses) shows an avatar to all."""
        user = self.request.env['res.users'].browse(user_id)
        return bool(user and user.website_published and user.karma > 0)

    def _check_user_profile_access(self, user_id):
        """``(user, False)`` when the profile may be seen, ``(False,
        reason)`` when not; a 404 for no such user."""
        request = self.request
        user_sudo = request.env['res.users'].browse(user_id)
        if user_sudo and user_sudo.id == request.user.id:
            return user_sudo, False
        if user_sudo and not user_sudo.website_published:
            return False, 'This profile is private!'
        if not user_sudo:
            raise HTTPNotFound()
        if request.user.karma < request.website.karma_profile_min:
            return False, "Not have enough karma to view other users' profile."
        return user_sudo, False

    def _prepare_user_values(self, **kwargs):
        kwargs.pop('edit_translations', None)
        request = self.request
        return {
            'user': request.user,
            'is_public_user': request.authenticated_userid is None,
            'validation_email_sent': request.session.get(
                'validation_email_sent', False
            ),
            'validation_email_done': request.session.get(
                'validation_email_done', False
            ),
        }

    def _prepare_user_profile_parameters(self, **post):
        return post

    def _prepare_user_profile_values(self, user, **post):
        return {
            'uid': self.request.user.id,
            'user': user,
            'main_object': user,
            'is_profile_page': True,
        }

    @route('/profile/avatar/<int:user_id>', type='http', auth='public')
    def get_user_profile_avatar(
        self, user_id, field='avatar_256', width=0, height=0, crop=False,
        **post,
    ):  # fmt: skip
        if field not in IMAGE_SIZES:
            return HTTPForbidden()
        if (int(width), int(height)) == (0, 0):
            width = height = IMAGE_SIZES[field]
        can_sudo = self._check_avatar_access(user_id, **post)
        user = self.request.env['res.users'].browse(user_id)
        if not can_sudo and (
            not user or user.id != self.request.user.id
        ):  # without sudo, only one's own record is readable
            user = None
        return image_response(user, field, int(width), int(height))

    @route('/profile/user/<int:user_id>', type='http', auth='public')
    def view_user_profile(self, user_id, **post):
        user_sudo, denial_reason = self._check_user_profile_access(user_id)
        if denial_reason:
            return self.request.render(
                'website_profile.profile_access_denied',
                {'denial_reason': denial_reason},
            )
        values = self._prepare_user_values(**post)
        params = self._prepare_user_profile_parameters(**post)
        values.update(self._prepare_user_profile_values(user_sudo, **params))
        return self.request.render('website_profile.user_profile_main', values)

    # Edit Profile

    def _profile_edition_preprocess_values(self, user, **kwargs):
        values = {
            'name': kwargs.get('name'),
            'website': kwargs.get('website'),
            'email': kwargs.get('email'),
            'city': kwargs.get('city'),
            'country_id': kwargs.get('country_id'),
            'website_description': kwargs.get('website_description'),
        }
        if 'image_1920' in kwargs:
            values['image_1920'] = kwargs.get('image_1920')
        # one edits one's own privacy setting only
        if self.request.user.id == user.id:
            values['website_published'] = kwargs.get('website_published')
        return values

    @route('/profile/user/save', type='jsonrpc', auth='user', methods=['POST'])
    def save_edited_profile(self, **kwargs):
        request = self.request
        user_id = int(kwargs.get('user_id', 0))
        if user_id and request.user.id != user_id and request.user.is_admin:
            user = request.env['res.users'].browse(user_id)
        else:
            user = request.user
        values = self._profile_edition_preprocess_values(user, **kwargs)
        user.write({
            key: values[key]
            for key in sorted(user.SELF_WRITEABLE_FIELDS)
            if key in values
        })  # fmt: skip

    # Ranks and Badges

    def _prepare_badges_domain(self, **kwargs):
        """Hook for other modules to restrict the badges shown on the
        profile page, depending on the context."""
        domain = [('website_published', '=', True)]
        if 'badge_category' in kwargs:
            domain.append(
                ('challenge_category', '=', kwargs['badge_category'])
            )
        return domain

    def _prepare_ranks_badges_values(self, **kwargs):
        env = self.request.env
        ranks = []
        if 'badge_category' not in kwargs:
            ranks = env['gamification.karma.rank'].search(
                [], order='karma_min desc'
            )
        badges = env['gamification.badge'].search(
            self._prepare_badges_domain(**kwargs)
        )
        badges.sort(key=lambda b: b.granted_users_count, reverse=True)
        values = self._prepare_user_values(searches={'badges': True})
        values.update(
            {'ranks': ranks, 'badges': badges, 'user': self.request.user}
        )
        return values

    @route('/profile/ranks_badges', type='http', auth='public')
    def view_ranks_badges(self, **kwargs):
        values = self._prepare_ranks_badges_values(**kwargs)
        return self.request.render('website_profile.rank_badge_main', values)

    # All Users Page

    def _prepare_all_users_values(self, users):
        return [
            {
                'id': user.id,
                'name': user.name,
                'company_name': user.company_name,
                'rank': user.rank,
                'karma': user.karma,
                'badge_count': len(user.badge_ids),
                'website_published': user.website_published,
            }
            for user in users
        ]

    def _ranked(self, search_term=None):
        users = [
            u
            for u in self.request.env['res.users'].search(
                [('website_published', '=', True)], order='karma desc'
            )
            if u.karma > 1
        ]
        if search_term:
            term = search_term.lower()
            users = [
                u
                for u in users
                if term in u.name.lower() or term in u.company_name.lower()
            ]
        return users

    @route(
        ['/profile/users', '/profile/users/page/<int:page>'],
        type='http',
        auth='public',
    )
    def view_all_users_page(self, page=1, **kwargs):
        request = self.request
        search_term = kwargs.get('search')
        group_by = kwargs.get('group_by', False)
        render_values = {'search': search_term, 'group_by': group_by or 'all'}
        ranked = self._ranked(search_term)
        my_user = request.user
        current_user_values = False
        if ranked:
            page_values = pager(
                url='/profile/users', total=len(ranked), page=page,
                step=self._users_per_page, url_args=kwargs,
            )  # fmt: skip
            offset = page_values['offset']
            users = ranked[offset : offset + self._users_per_page]
            user_values = self._prepare_all_users_values(users)
            position_map = self._get_position_map(users, group_by)
            max_position = max(
                [data['karma_position'] for data in position_map.values()],
                default=1,
            )
            for user in user_values:
                data = position_map.get(user['id'], {})
                user['position'] = data.get('karma_position', max_position + 1)
                user['karma_gain'] = data.get('karma_gain_total', 0)
            user_values.sort(key=lambda user: user['position'])
            if (
                my_user.website_published
                and my_user.karma
                and my_user not in users
                and my_user in ranked
            ):
                current_user_values = self._prepare_all_users_values(
                    [my_user]
                )[0]
                data = self._get_position_map([my_user], group_by).get(
                    my_user.id, {}
                )
                current_user_values['position'] = data.get('karma_position', 0)
                current_user_values['karma_gain'] = data.get(
                    'karma_gain_total', 0
                )
        else:
            user_values = []
            page_values = {'page_count': 0}
        render_values.update({
            'top3_users': (
                user_values[:3] if not search_term and page == 1 else []
            ),
            'users': user_values,
            'my_user': current_user_values,
            'pager': page_values,
        })  # fmt: skip
        return request.render('website_profile.users_page_main', render_values)

    def _get_position_map(self, users, group_by):
        """The rank of *users* among all the published users: by karma,
        or by the karma gained this week or month (*group_by*)."""
        if group_by:
            return self._get_user_tracking_karma_gain_position(users, group_by)
        everyone = self._ranked()
        return {
            user.id: {'karma_position': everyone.index(user) + 1}
            for user in users
            if user in everyone
        }

    def _get_user_tracking_karma_gain_position(self, users, group_by):
        to_date = date.today()
        days = {'week': 7, 'month': 31}.get(group_by)
        from_date = to_date - timedelta(days=days) if days else None

        def gain(user):
            return sum(
                amount
                for day, amount in user.karma_tracking
                if from_date is None or day >= from_date
            )

        everyone = sorted(self._ranked(), key=gain, reverse=True)
        return {
            user.id: {
                'karma_position': everyone.index(user) + 1,
                'karma_gain_total': gain(user),
            }
            for user in users
            if user in everyone
        }

    # User and validation

    @route('/profile/send_validation_email', type='jsonrpc', auth='user')
    def send_validation_email(self, **kwargs):
        request = self.request
        if request.user.id != request.website.user_id:
            request.user._send_profile_validation_email(**kwargs)
        request.session['validation_email_sent'] = True
        return True

    @route('/profile/validate_email', type='http', auth='public')
    def validate_email(self, token, user_id, email, **kwargs):
        user = self.request.env['res.users'].browse(int(user_id))
        done = user and user._process_profile_validation_token(token, email)
        if done:
            self.request.session['validation_email_done'] = True
        url = kwargs.get('redirect_url', '/')
        return self.request.redirect(url)

    @route('/profile/validate_email/close', type='jsonrpc', auth='public')
    def validate_email_done(self, **kwargs):
        self.request.session['validation_email_done'] = False
        return True
