"""Port of Odoo's eLearning controller to Pyramid with pyramid_hooks.

Original: ``addons/website_slides/controllers/main.py``
(``WebsiteSlides(WebsiteProfile)``), Odoo 17 (commit 117717b): the
courses' home and list (tags in the path), a course's page at nine
patterns, the invitation link, joining and leaving, a slide's page, its
PDF and share link, marking it completed (a page and a JSON route), the
likes, the quiz's answers kept in the session and submitted, the
profile pages of website_profile extended.  The fuzzy search, the
reviews, the upload and the tags' and categories' editors are left out;
the models are faked (``tests/ports/test_odoo_website_slides.py``).

Odoo -> Pyramid:

- ``route(..., handle_params_access_error=handle_wslide_error)`` -> the
  controller wrapper :func:`check_params_access`, scoped to the handler
  in :func:`includeme` (Odoo's ``ir.http._pre_dispatch`` checks the
  records of the path, then calls the route's handler of the error);
- ``request.env.user`` -> the application's ``request.user``;
  ``request.website.is_public_user()`` the same, on the fake website;
- ``request.session.viewed_slides = {...}`` (an attribute: Odoo's
  session is one) -> ``request.session['viewed_slides'] = {...}``; its
  keys are the slides' ids as text (``str(slide.id)``): Pyramid's
  session is written as JSON, which makes an ``int`` key a string, so
  ``slide.id in viewed_slides`` would never be true after the first
  request, and a slide would be counted at each visit, silently;
  ``request.session.touch()`` -> ``request.session.changed()``;
- ``raise werkzeug.exceptions.Forbidden(_("..."))`` in a helper of a
  JSON route -> ``raise HTTPForbidden("...")``, its text shown to the
  client with ``pyramid.httpexceptions.HTTPClientError`` in
  ``hooks.controllers.expose_errors``; ``UserError`` listed there too;
- ``Response()``, then ``response.data = ...`` and ``response.mimetype =
  ...`` (Werkzeug's) -> ``Response(body=..., content_type=...)``: WebOb's
  response takes any attribute, so Werkzeug's names set nothing it
  sends, silently (an empty ``text/html`` reply);
- ``@staticmethod`` helpers reading ``request``
  (``_redirect_to_slides_main``, ``_redirect_to_channel``) -> methods;
- ``werkzeug.urls.url_encode`` -> ``urlencode``; ``tools.lazy`` left
  out; ``_()`` left out;
- ``website=True``, ``sitemap=`` left out (``sitemap_slide`` stays).
"""

import base64
import json
from urllib.parse import urlencode

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound
from pyramid.response import Response

from pyramid_hooks import route
from tests.ports.odoo_fakes import AccessError
from tests.ports.odoo_website_blog import QueryURL, pager, slug, unslug
from tests.ports.odoo_website_profile import WebsiteProfile

CHANNEL = '/slides/<model("slide.channel"):channel>'
SLIDE = '/slides/slide/<model("slide.slide"):slide>'


class UserError(Exception):
    """``odoo.exceptions.UserError``."""


def handle_wslide_error(request, exception):
    if isinstance(exception, AccessError):
        return request.redirect('/slides?invite_error=no_rights', 302)
    return None


def check_params_access(handle_error):
    """Odoo's ``handle_params_access_error=``: a controller wrapper that
    checks the records of the path before the handler runs, as
    ``ir.http._pre_dispatch`` does, and answers an ``AccessError`` with
    *handle_error*'s response (without one, the error goes on)."""

    def wrapper(next_caller):
        def call(context, request):
            for value in request.matchdict.values():
                try:
                    getattr(value, 'check_access_rule', lambda op: None)(
                        'read'
                    )
                except AccessError as e:
                    response = handle_error(request, e)
                    if response is None:
                        raise
                    return response
            return next_caller(context, request)

        return call

    return wrapper


class WebsiteSlides(WebsiteProfile):
    _slides_per_page = 12
    _slides_per_aside = 20
    _channel_order_by_criterion = {
        'vote': 'total_votes desc',
        'view': 'total_views desc',
        'date': 'create_date desc',
    }

    def sitemap_slide(env, rule, qs):
        for channel in env['slide.channel'].search([]):
            loc = f'/slides/{slug(channel)}'
            if not qs or qs.lower() in loc:
                yield {'loc': loc}

    def _slide_render_context_base(self):
        return {
            'user': self.request.user,
            'is_public_user': self.request.website.is_public_user(),
        }

    # slide utilities

    def _fetch_slide(self, slide_id):
        slide = self.request.env['slide.slide'].browse(int(slide_id))
        if not slide:
            return {'error': 'slide_wrong'}
        try:
            slide.check_access_rule('read')
        except AccessError:
            return {'error': 'slide_access'}
        return {'slide': slide}

    def _set_viewed_slide(self, slide, quiz_attempts_inc=False):
        session = self.request.session
        if not slide.channel_id.is_member:
            if not isinstance(session.get('viewed_slides'), dict):
                # Odoo 15 kept a list
                session['viewed_slides'] = dict.fromkeys(
                    map(str, session.get('viewed_slides', [])), 1
                )
            viewed_slides = session['viewed_slides']
            if str(slide.id) not in viewed_slides:
                slide.public_views += 1
                slide.total_views += 1
                viewed_slides[str(slide.id)] = 1
                session.changed()
        else:
            slide.action_set_viewed(quiz_attempts_inc=quiz_attempts_inc)
        return True

    def _slide_mark_completed(self, slide):
        # quizzes are done when all their answers are good
        if slide.slide_category == 'quiz' or slide.question_ids:
            raise UserError(
                'Slide with questions must be marked as done when '
                'submitting all good answers '
            )
        if not slide.can_self_mark_completed:
            raise HTTPForbidden('This slide can not be marked as completed.')
        slide.action_mark_completed()

    def _get_channel_slides_base_domain(self, channel):
        """The slides of *channel* a visitor sees: all for a publisher,
        the published ones and one's own for a user, the published ones
        for the public."""
        domain = [('channel_id', '=', channel), ('is_category', '=', False)]
        if not channel.can_publish:
            if self.request.website.is_public_user():
                domain.append(('website_published', '=', True))
            else:
                domain.append(('visible_to', 'in', [self.request.user.id]))
        return domain

    def _get_channel_progress(self, channel):
        user = self.request.user
        slides = self.request.env['slide.slide'].search(
            [('channel_id', '=', channel)]
        )
        return {
            slide.id: {'completed': user.id in slide.completed_by}
            for slide in slides
            if channel.is_member
        }

    # courses: home and list

    @route('/slides', type='http', auth='public')
    def slides_channel_home(self, **post):
        """The eLearning home: a container page, without search."""
        channels_all = self.request.env['slide.channel'].search([])
        channels_my = []
        if not self.request.website.is_public_user():
            channels_my = [c for c in channels_all if c.is_member][:3]
        values = self._slide_render_context_base()
        values.update(self._prepare_user_values(**post))
        values.update({
            'channels_my': channels_my,
            'channels_popular': sorted(
                channels_all, key=lambda c: c.total_votes, reverse=True
            )[:3],
            'slide_query_url': str(QueryURL('/slides/all', ['tag'])),
        })  # fmt: skip
        return self.request.render('website_slides.courses_home', values)

    @route(
        ['/slides/all', '/slides/all/tag/<string:slug_tags>'],
        type='http',
        auth='public',
    )
    def slides_channel_all(
        self, slide_category=None, slug_tags=None, my=False, **post
    ):
        request = self.request
        if slug_tags and request.method == 'GET':
            # one tag in a GET's path, for the robots; a search is a person
            tag_list = slug_tags.split(',')
            if len(tag_list) > 1 and not post.get('search'):
                url = QueryURL(
                    '/slides/all', ['tag'], tag=tag_list[0], my=my,
                    slide_category=slide_category,
                )()  # fmt: skip
                return request.redirect(url, code=302)
        values = self.slides_channel_all_values(
            slide_category=slide_category, slug_tags=slug_tags, my=my, **post
        )
        return request.render('website_slides.courses_all', values)

    def slides_channel_all_values(
        self, slide_category=None, slug_tags=None, my=False, **post
    ):
        env = self.request.env
        tag_ids = [unslug(tag)[1] for tag in (slug_tags or '').split(',')]
        tags = [env['slide.channel.tag'].browse(i) for i in tag_ids if i]
        tags = [tag for tag in tags if tag]
        channels = env['slide.channel'].search([])
        if tags:
            channels = [
                c for c in channels if {t.id for t in tags} & set(c.tag_ids)
            ]
        if my:
            channels = [c for c in channels if c.is_member]
        search = post.get('search')
        if search:
            channels = [
                c for c in channels if search.lower() in c.name.lower()
            ]
        values = self._slide_render_context_base()
        values.update(self._prepare_user_values(**post))
        values.update({
            'channels': channels, 'search_term': search,
            'search_slide_category': slide_category, 'search_my': my,
            'search_tags': tags,
        })  # fmt: skip
        return values

    # a course

    @route(
        [
            '/slides/<int:channel_id>',
            '/slides/<int:channel_id>/category/<int:category_id>',
            '/slides/<int:channel_id>/category/<int:category_id>/page/'
            '<int:page>',
            CHANNEL,
            CHANNEL + '/page/<int:page>',
            CHANNEL + '/tag/<model("slide.tag"):tag>',
            CHANNEL + '/tag/<model("slide.tag"):tag>/page/<int:page>',
            CHANNEL + '/category/<model("slide.slide"):category>',
            CHANNEL + '/category/<model("slide.slide"):category>/page/'
            '<int:page>',
        ],
        type='http',
        auth='public',
    )
    def channel(
        self, channel=False, channel_id=False, category=None,
        category_id=False, tag=None, page=1, slide_category=None,
        uncategorized=False, sorting=None, search=None, **kw,
    ):  # fmt: skip
        request = self.request
        env = request.env
        if channel_id and not channel:
            channel = env['slide.channel'].browse(channel_id)
            if not channel:
                return self._redirect_to_slides_main('no_channel')
        try:
            channel.check_access_rule('read')
        except AccessError:
            return self._redirect_to_slides_main('no_rights')
        if category_id and not category:
            category = env['slide.slide'].browse(category_id)
            if category and category.channel_id != channel:
                category = None

        domain = self._get_channel_slides_base_domain(channel)
        pager_url = f'/slides/{channel.id}'
        pager_args = {}
        if search:
            pager_args['search'] = search
        else:
            if category:
                domain.append(('category_id', '=', category))
                pager_url += f'/category/{category.id}'
            elif tag:
                domain.append(('tag_ids', 'in', [tag.id]))
                pager_url += f'/tag/{tag.id}'
            if uncategorized:
                domain.append(('category_id', '=', None))
                pager_args['uncategorized'] = 1
            elif slide_category:
                domain.append(('slide_category', '=', slide_category))
                pager_args['slide_category'] = slide_category
        slides = [
            slide
            for slide in env['slide.slide'].search(domain, order='sequence')
            if not search or search.lower() in slide.name.lower()
        ]
        page_values = pager(
            url=pager_url, total=len(slides), page=page,
            step=self._slides_per_page, url_args=pager_args,
        )  # fmt: skip
        offset = page_values['offset']

        errors = {'access_error': False}
        if request.params.get('access_error') == 'course_content':
            errors.update({
                'access_error': 'course_content',
                'access_error_content_name': request.params.get(
                    'access_error_slide_name'
                ),
            })  # fmt: skip
        values = self._slide_render_context_base()
        values.update({
            'channel': channel, 'main_object': channel,
            'active_tab': kw.get('active_tab', 'home'),
            'search_category': category, 'search_tag': tag,
            'search_slide_category': slide_category,
            'search_uncategorized': uncategorized, 'search': search,
            'pager': page_values, 'slide_count': len(slides),
            'slides': slides[offset : offset + self._slides_per_page],
            'channel_progress': self._get_channel_progress(channel),
            **errors,
        })  # fmt: skip
        return request.render('website_slides.course_main', values)

    def _redirect_to_slides_main(self, invite_error=''):
        return self.request.redirect(
            f'/slides?invite_error={invite_error}'
            if invite_error
            else '/slides'
        )

    def _redirect_to_channel(self, channel):
        return self.request.redirect(f'/slides/{slug(channel)}')

    @route('/slides/<int:channel_id>/invite', type='http', auth='public')
    def slide_channel_invite(self, channel_id, invite_partner_id, invite_hash):
        """The invitation link of a mail: to the course when the visitor
        may read it, else to the home page with the reason."""
        channel = self.request.env['slide.channel'].browse(channel_id)
        if not channel:
            return self._redirect_to_slides_main('no_channel')
        try:
            channel.check_access_rule('read')
        except AccessError:
            has_rights = False
        else:
            has_rights = True
        if invite_hash != channel.invitation_hash(int(invite_partner_id)):
            if has_rights:
                return self._redirect_to_channel(channel)
            return self._redirect_to_slides_main('hash_fail')
        return self.request.redirect(
            f'/slides/{channel_id}?invite_partner_id={invite_partner_id}'
            f'&invite_hash={invite_hash}'
        )

    @route(['/slides/channel/join'], type='json', auth='public')
    def slide_channel_join(self, channel_id):
        if self.request.website.is_public_user():
            return {'error': 'public_user', 'error_signup_allowed': True}
        channel = self.request.env['slide.channel'].browse(channel_id)
        success = channel._action_add_members(self.request.user)
        return success or {'error': 'join_done'}

    @route(['/slides/channel/leave'], type='json', auth='user')
    def slide_channel_leave(self, channel_id):
        channel = self.request.env['slide.channel'].browse(channel_id)
        channel._remove_membership(self.request.user)
        self._channel_remove_session_answers(channel)
        return True

    def _channel_remove_session_answers(self, channel, slide=False):
        """The quiz answers kept in the session for *channel* (or
        *slide*) forgotten."""
        session = self.request.session
        if 'slide_answer_quiz' not in session:
            return
        slides = self.request.env['slide.slide'].search(
            [('channel_id', '=', channel)]
        )
        answers = json.loads(session['slide_answer_quiz'])
        for one in slides:
            if not slide or one is slide:
                answers.pop(str(one.id), None)
        session['slide_answer_quiz'] = json.dumps(answers)

    # a slide

    @route(SLIDE, type='http', auth='public')
    def slide_view(self, slide, **kwargs):
        if not slide.active:
            raise HTTPNotFound()
        if slide.is_category:
            return self.request.redirect(f'/slides/{slug(slide.channel_id)}')
        if (
            slide.can_self_mark_completed
            and not slide.user_has_completed
            and slide.channel_id.channel_type == 'training'
            and slide.slide_category != 'video'
        ):
            self._slide_mark_completed(slide)
        else:
            self._set_viewed_slide(slide)
        values = self._slide_render_context_base()
        values.update({
            'slide': slide, 'main_object': slide,
            'channel_progress': self._get_channel_progress(slide.channel_id),
            'search_tag': (
                self.request.env['slide.tag'].browse(int(kwargs['search_tag']))
                if kwargs.get('search_tag') else None
            ),
        })  # fmt: skip
        if slide.question_ids:
            values['session_answers'] = json.loads(
                self.request.session.get('slide_answer_quiz', '{}')
            ).get(str(slide.id))
        if kwargs.get('fullscreen') == '1':
            return self.request.render(
                'website_slides.slide_fullscreen', values
            )
        return self.request.render('website_slides.slide_main', values)

    @route('/slides/slide/<int:slide_id>/share', type='http', auth='public')
    def slide_shared_view(self, slide_id, **kwargs):
        slide = self.request.env['slide.slide'].browse(slide_id)
        if not slide:
            raise HTTPNotFound()
        try:
            slide.check_access_rule('read')
        except AccessError:
            query = urlencode({
                'access_error': 'course_content',
                'access_error_slide_id': slide_id,
                'access_error_slide_name': slide.name,
            })  # fmt: skip
            return self.request.redirect(
                f'/slides/{slide.channel_id.id}?{query}'
            )
        return self.request.redirect(
            f'/slides/slide/{slug(slide)}?{urlencode(kwargs, doseq=True)}'
        )

    @route(SLIDE + '/pdf_content', type='http', auth='public')
    def slide_get_pdf_content(self, slide):
        content = slide.binary_content
        return Response(
            body=base64.b64decode(content) if content else b'',
            content_type='application/pdf',
        )

    @route(SLIDE + '/set_completed', type='http', auth='user')
    def slide_set_completed_and_redirect(self, slide, next_slide_id=None):
        self._slide_mark_completed(slide)
        next_slide = None
        if next_slide_id:
            next_slide = self._fetch_slide(next_slide_id).get('slide', None)
        return self.request.redirect(
            f'/slides/slide/{slug(next_slide or slide)}'
        )

    @route('/slides/slide/set_completed', type='json', auth='public')
    def slide_set_completed(self, slide_id):
        if self.request.website.is_public_user():
            return {'error': 'public_user'}
        fetch_res = self._fetch_slide(slide_id)
        if fetch_res.get('error'):
            return fetch_res
        self._slide_mark_completed(fetch_res['slide'])
        return {
            'channel_completion': fetch_res['slide'].channel_id.completion,
            'next_category_id': False,
        }

    @route('/slides/slide/like', type='json', auth='public')
    def slide_like(self, slide_id, upvote):
        if self.request.website.is_public_user():
            return {'error': 'public_user', 'error_signup_allowed': True}
        fetch_res = self._fetch_slide(slide_id)
        if fetch_res.get('error'):
            return fetch_res
        slide = fetch_res['slide']
        if not slide.channel_id.is_member:
            return {'error': 'channel_membership_required'}
        if not slide.channel_id.allow_comment:
            return {'error': 'channel_comment_disabled'}
        slide.likes += 1 if upvote else 0
        slide.dislikes += 0 if upvote else 1
        return {'likes': slide.likes, 'dislikes': slide.dislikes}

    # quiz

    @route('/slides/slide/quiz/submit', type='json', auth='public')
    def slide_quiz_submit(self, slide_id, answer_ids):
        if self.request.website.is_public_user():
            return {'error': 'public_user'}
        fetch_res = self._fetch_slide(slide_id)
        if fetch_res.get('error'):
            return fetch_res
        slide = fetch_res['slide']
        if slide.user_has_completed:
            self._channel_remove_session_answers(slide.channel_id, slide)
            return {'error': 'slide_quiz_done'}
        answers = self.request.env['slide.answer']
        user_answers = [answers.browse(i) for i in answer_ids]
        user_answers = [a for a in user_answers if a]
        if {a.question_id for a in user_answers} != set(slide.question_ids):
            return {'error': 'slide_quiz_incomplete'}
        if all(a.is_correct for a in user_answers):
            slide.action_mark_completed()
        self._channel_remove_session_answers(slide.channel_id, slide)
        return {
            'answers': {
                answer.question_id: {
                    'is_correct': answer.is_correct,
                    'comment': answer.comment,
                }
                for answer in user_answers
            },
            'completed': slide.user_has_completed,
            'channel_completion': slide.channel_id.completion,
        }

    @route(['/slides/slide/quiz/save_to_session'], type='json', auth='public')
    def slide_quiz_save_to_session(self, quiz_answers):
        session = self.request.session
        saved = json.loads(session.get('slide_answer_quiz', '{}'))
        saved[str(quiz_answers['slide_id'])] = quiz_answers['slide_answers']
        session['slide_answer_quiz'] = json.dumps(saved)

    # profile

    def _prepare_user_values(self, **kwargs):
        values = super()._prepare_user_values(**kwargs)
        invite_error_msg = self._get_invite_error_msg(
            kwargs.get('invite_error')
        )
        if invite_error_msg:
            values['invite_error_msg'] = invite_error_msg
        channel = self._get_channels(**kwargs)
        if channel:
            values['channel'] = channel
        return values

    def _get_channels(self, **kwargs):
        if kwargs.get('channel'):
            return kwargs['channel']
        if kwargs.get('channel_id'):
            found = self.request.env['slide.channel'].browse(
                int(kwargs['channel_id'])
            )
            return [found] if found else []
        return []

    @staticmethod
    def _get_invite_error_msg(invite_error):
        return {
            'hash_fail': 'This invitation link has an invalid hash.',
            'no_channel': 'This course does not exist.',
            'no_rights': 'You do not have permission to access this course.',
        }.get(invite_error, '')

    def _prepare_user_profile_values(self, user, **post):
        values = super()._prepare_user_profile_values(user, **post)
        if post.get('channel_id'):
            values['edit_button_url_param'] = (
                f'channel_id={post["channel_id"]}'
            )
        channels = self._get_channels(**post) or self.request.env[
            'slide.channel'
        ].search([])
        values.update(
            self._prepare_user_values(
                channel=channels[0] if len(channels) == 1 else True, **post
            )
        )
        values.update({
            'courses_completed': [
                c for c in self.request.env['slide.channel'].search([])
                if user.id in c.completed_by
            ],
            'badge_category': 'slides',
            'my_profile': self.request.user.id == user.id,
        })  # fmt: skip
        return values


def includeme(config):
    """The routes given ``handle_params_access_error=handle_wslide_error``
    in Odoo."""
    check = check_params_access(handle_wslide_error)
    for handler in (
        WebsiteSlides.channel,
        WebsiteSlides.slide_view,
        WebsiteSlides.slide_get_pdf_content,
        WebsiteSlides.slide_set_completed_and_redirect,
    ):
        config.add_controller_wrapper(check, view=handler)
