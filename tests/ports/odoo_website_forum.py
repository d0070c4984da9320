"""Port of Odoo's forum controller to Pyramid with pyramid_hooks.

Original: ``addons/website_forum/controllers/website_forum.py``
(``WebsiteForum(WebsiteProfile)``), Odoo master after 18.0 (commit
b004a63, ``type='jsonrpc'``): the forums, the questions of a forum or a
tag with their pager, the tags, a question's page, favourites, closing
and deleting, new questions and replies, comments, the accepted answer,
votes, the moderation queues, flags and offensive posts, the tags' JSON
for the editor.  The profile pages and the sitemaps are left out;
website_profile's ``_prepare_user_values`` is reduced to what the forum
reads; ``_search_with_fuzzy`` is a search of the names; the models and
their karma rules are faked (``tests/ports/test_odoo_website_forum.py``).

Odoo -> Pyramid:

- ``request.env.user`` -> the application's ``request.user``;
  ``request.env.uid`` / ``request.session.uid`` -> ``request.user.id``;
  ``request.env.user._is_public()`` -> ``request.authenticated_userid
  is None``;
- ``request.env['ir.http']._slug`` -> ``slug`` (the blog port's);
  ``request.website.pager`` -> ``pager`` (the same), ``tools.lazy``
  left out;
- ``raise werkzeug.exceptions.NotFound()`` / ``BadRequest(...)`` ->
  ``HTTPNotFound()`` / ``HTTPBadRequest(...)``;
- ``AccessError`` raised on the JSON route is shown to the client
  (``hooks.controllers.expose_errors``); on the http route, an exception
  view of the application answers it (Odoo: a 403 page);
- ``request.httprequest.path`` -> ``request.path_info``;
- ``post.parent_id is False`` (never true of an Odoo record set: the
  check is dead code in Odoo) -> ``not post.parent_id`` would make the
  JSON route return a redirect; kept as Odoo behaves: left out;
- ``website=True``, ``sitemap=``, ``readonly=``,
  ``list_as_website_content=`` are left out.
"""

import json

from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound

from pyramid_hooks import Controller, route
from tests.ports.odoo_fakes import AccessError, plaintext2html
from tests.ports.odoo_website_blog import pager, slug

FORUM = '/forum/<model("forum.forum"):forum>'
POST = FORUM + '/post/<model("forum.post"):post>'
QUESTION = FORUM + '/question/<model("forum.post"):question>'


def is_html_empty(text):
    return not (text or '').strip() or text.strip() in ('<p><br></p>',)


class WebsiteProfile(Controller):
    """website_profile's controller, the part the forum extends."""

    def _prepare_user_values(self, **kwargs):
        request = self.request
        return {
            'user': request.user,
            'is_public_user': request.authenticated_userid is None,
            'validation_email_sent': request.session.get(
                'validation_email_sent', False
            ),
        }


class WebsiteForum(WebsiteProfile):
    _post_per_page = 10
    _user_per_page = 30

    def _prepare_user_values(self, **kwargs):
        request = self.request
        values = super()._prepare_user_values(**kwargs)
        values['forum_welcome_message'] = request.cookies.get(
            'forum_welcome_message', False
        )
        values.update({
            'header': kwargs.get('header', {}),
            'searches': kwargs.get('searches', {}),
        })  # fmt: skip
        if kwargs.get('forum'):
            values['forum'] = kwargs.get('forum')
        elif kwargs.get('forum_id'):
            values['forum'] = request.env['forum.forum'].browse(
                int(kwargs.pop('forum_id'))
            )
        return values

    def _prepare_mark_as_offensive_values(self, post, **kwargs):
        reasons = self.request.env['forum.post.reason'].search(
            [('reason_type', '=', 'offensive')]
        )
        values = self._prepare_user_values(**kwargs)
        values.update({
            'question': post, 'forum': post.forum_id, 'reasons': reasons,
            'offensive': True,
        })  # fmt: skip
        return values

    # Forum

    @route(['/forum'], type='http', auth='public')
    def forum(self, **kwargs):
        forums = self.request.env['forum.forum'].search([])
        if len(forums) == 1:
            return self.request.redirect(f'/forum/{slug(forums[0])}', code=302)
        return self.request.render(
            'website_forum.forum_all', {'forums': forums}
        )

    @route(
        [
            '/forum/all',
            '/forum/all/page/<int:page>',
            FORUM,
            FORUM + '/page/<int:page>',
            FORUM + '/tag/<model("forum.tag"):tag>/questions',
            FORUM + '/tag/<model("forum.tag"):tag>/questions/page/<int:page>',
        ],
        type='http',
        auth='public',
    )
    def questions(
        self, forum=None, tag=None, page=1, filters='all', my=None,
        sorting=None, search='', **post,
    ):  # fmt: skip
        request = self.request
        domain = [('parent_id', '=', False), ('state', '=', 'active')]
        if forum:
            domain.append(('forum_id', '=', forum.id))
        if tag:
            domain.append(('tag_ids', 'in', [tag.id]))
        if sorting not in ('name', 'vote_count desc', 'create_date desc'):
            sorting = None  # Odoo: an order it cannot read is dropped
        if not sorting:
            sorting = forum.default_order if forum else 'create_date desc'
        found = [
            q
            for q in request.env['forum.post'].search(domain, order=sorting)
            if search.lower() in q.name.lower()
            and (filters != 'unanswered' or not q.child_ids)
        ]
        question_count = len(found)
        step = self._post_per_page
        questions = found[(page - 1) * step : page * step]
        if not forum:
            url = '/forum/all'
        elif tag:
            url = f'/forum/{slug(forum)}/tag/{slug(tag)}/questions'
        else:
            url = f'/forum/{slug(forum)}'
        url_args = {'sorting': sorting}
        for name, value in zip(
            ['filters', 'search', 'my'], [filters, search, my], strict=True
        ):
            if value:
                url_args[name] = value
        values = self._prepare_user_values(forum=forum, searches=post)
        values.update({
            'question_ids': questions, 'question_count': question_count,
            'pager': pager(url, question_count, page, step, url_args),
            'tag': tag, 'filters': filters, 'my': my, 'sorting': sorting,
            'search': search,
        })  # fmt: skip
        if forum or tag:
            values['main_object'] = tag or forum
        return request.render('website_forum.forum_index', values)

    @route([FORUM + '/faq'], type='http', auth='public')
    def forum_faq(self, forum, **post):
        values = self._prepare_user_values(
            forum=forum, searches={}, header={'is_guidelines': True}, **post
        )
        return self.request.render('website_forum.faq', values)

    # Tags

    @route('/forum/get_tags', type='http', auth='public', methods=['GET'])
    def tag_read(self, forum_id, query='', limit=25, **post):
        tags = self.request.env['forum.tag'].search(
            [('forum_id', '=', int(forum_id))]
        )
        data = [
            {'id': t.id, 'name': t.name}
            for t in tags
            if t.name.lower().startswith((query or '').lower())
        ][: int(limit)]
        return self.request.make_response(
            json.dumps(data), headers=[('Content-Type', 'application/json')]
        )

    @route(
        [FORUM + '/tag', FORUM + '/tag/<string:tag_char>'],
        type='http',
        auth='public',
    )
    def tags(self, forum, tag_char='', filters='all', search='', **post):
        """The tags, those starting with *tag_char* (one letter)."""
        if (
            not isinstance(tag_char, str)
            or len(tag_char) > 1
            or (tag_char and not tag_char.isalpha())
        ):
            raise HTTPBadRequest(f'Bad "tag_char" value "{tag_char}"')
        if filters not in ('all', 'followed', 'unused', 'most_used'):
            raise HTTPBadRequest(f'Bad "filters" value "{filters}".')
        used = '=' if filters == 'unused' else '>='
        tags = self.request.env['forum.tag'].search(
            [('forum_id', '=', forum.id), ('posts_count', used, 0)],
            order='posts_count desc' if tag_char else 'name',
        )
        if filters != 'unused':
            tags = [t for t in tags if t.posts_count > 0]
        first_chars = sorted({t.name[0].upper() for t in tags})
        first_char_list = [('All', '')] + [
            (c, c.lower()) for c in first_chars if c.isalnum()
        ]
        if tag_char:
            tags = [
                t for t in tags if t.name.lower().startswith(tag_char.lower())
            ]
        values = self._prepare_user_values(
            forum=forum, searches={'tags': True}, **post
        )
        values.update({
            'active_char_tag': tag_char.lower(),
            'pager_tag_chars': first_char_list,
            'tags': tags,
        })  # fmt: skip
        return self.request.render('website_forum.forum_index_tags', values)

    # Questions

    @route(
        [
            FORUM + "/question/<model(\"forum.post\", \"[('forum_id','=',"
            "forum.id),('parent_id','=',False),('can_view', '=', True)]\""
            '):question>'
        ],
        type='http',
        auth='public',
    )
    def old_question(self, forum, question, **post):
        # Compatibility pre-v14
        return self.request.redirect(
            f'/forum/{slug(forum)}/{slug(question)}', code=301
        )

    def _prepare_question_template_vals(self, forum, post, question):
        values = self._prepare_user_values(forum=forum, searches=post)
        values.update({
            'main_object': question, 'question': question,
            'header': {'question_data': True}, 'filters': 'question',
        })  # fmt: skip
        return values

    @route(
        [FORUM + '/<model("forum.post"):question>'], type='http', auth='public'
    )
    def question(self, forum, question, **post):
        request = self.request
        if not forum.active:
            return request.render('website_forum.header', {'forum': forum})
        # posts of abusers (negative karma) hidden, but from moderators
        if not question.can_view(request.user):
            raise HTTPNotFound()
        # pending posts hidden, but from moderators and their author
        user = request.user
        if (
            question.state == 'pending'
            and user.karma < forum.karma_post
            and question.create_uid != user.id
        ):
            raise HTTPNotFound()
        if question.parent_id:
            parent = request.env['forum.post'].browse(question.parent_id)
            return request.redirect(
                f'/forum/{slug(forum)}/{slug(parent)}', code=301
            )
        values = self._prepare_question_template_vals(forum, post, question)
        question.views += 1
        return request.render('website_forum.post_description_full', values)

    @route(
        QUESTION + '/toggle_favourite',
        type='jsonrpc',
        auth='user',
        methods=['POST'],
    )
    def question_toggle_favorite(self, forum, question, **post):
        uid = self.request.user.id
        favourite = uid not in question.favourite_ids
        if favourite:
            question.favourite_ids = [*question.favourite_ids, uid]
            question.followers = {*question.followers, uid}
        else:
            question.favourite_ids = [
                i for i in question.favourite_ids if i != uid
            ]
        return favourite

    @route(
        QUESTION + '/ask_for_close', type='http', auth='user', methods=['POST']
    )
    def question_ask_for_close(self, forum, question, **post):
        reasons = self.request.env['forum.post.reason'].search(
            [('reason_type', '=', 'basic')]
        )
        values = self._prepare_user_values(**post)
        values.update(
            {'question': question, 'forum': forum, 'reasons': reasons}
        )
        return self.request.render('website_forum.close_post', values)

    @route(QUESTION + '/edit_answer', type='http', auth='user')
    def question_edit_answer(self, forum, question, **kwargs):
        posts = self.request.env['forum.post']
        for record in map(posts.browse, question.child_ids):
            if record.create_uid == self.request.user.id:
                answer = record
                break
        else:
            raise HTTPNotFound()
        return self.request.redirect(
            f'/forum/{slug(forum)}/post/{slug(answer)}/edit'
        )

    @route(QUESTION + '/close', type='http', auth='user', methods=['POST'])
    def question_close(self, forum, question, **post):
        question.close(
            self.request.user, reason_id=int(post.get('reason_id', False))
        )
        return self.request.redirect(f'/forum/{slug(forum)}/{slug(question)}')

    @route(QUESTION + '/delete', type='http', auth='user', methods=['POST'])
    def question_delete(self, forum, question, **kwarg):
        question.active = False
        return self.request.redirect(f'/forum/{slug(forum)}')

    # Post

    @route([FORUM + '/ask'], type='http', auth='user')
    def forum_post(self, forum, **post):
        request = self.request
        user = request.user
        if not user.email or '@' not in user.email:
            return request.redirect(
                f'/forum/user/{user.id}?forum_id={forum.id}'
                f'&forum_origin={request.path_info}'
            )
        values = self._prepare_user_values(
            forum=forum, searches={}, new_question=True
        )
        return request.render('website_forum.new_question', values)

    @route(
        [FORUM + '/new', FORUM + '/<model("forum.post"):post_parent>/reply'],
        type='http',
        auth='user',
        methods=['POST'],
    )
    def post_create(self, forum, post_parent=None, **post):
        request = self.request
        if is_html_empty(post.get('content', '')):
            return request.render('http_routing.http_error', {
                'status_code': 'Bad Request',
                'status_message': (
                    (post_parent and 'Reply should not be empty.')
                    or 'Question should not be empty.'
                ),
            })  # fmt: skip
        tag_names = [t for t in post.get('post_tags', '').split(',') if t]
        if forum.has_pending_post(request.user):
            return request.redirect(f'/forum/{slug(forum)}/ask')
        new_question = request.env['forum.post'].create({
            'forum_id': forum.id,
            'name': post.get('post_name')
            or (post_parent and f'Re: {post_parent.name or ""}') or '',
            'content': post.get('content', False),
            'parent_id': (post_parent and post_parent.id) or False,
            'tag_ids': forum._tag_to_write_vals(request, tag_names),
            'create_uid': request.user.id,
        })  # fmt: skip
        if post_parent:
            post_parent.child_ids = [*post_parent.child_ids, new_question.id]
        target = slug(post_parent) if post_parent else new_question.id
        return request.redirect(f'/forum/{slug(forum)}/{target}')

    @route(POST + '/comment', type='http', auth='user', methods=['POST'])
    def post_comment(self, forum, post, **kwargs):
        posts = self.request.env['forum.post']
        question = posts.browse(post.parent_id) if post.parent_id else post
        if kwargs.get('comment') and post.forum_id == forum.id:
            post.messages = [*post.messages, plaintext2html(kwargs['comment'])]
        return self.request.redirect(f'/forum/{slug(forum)}/{slug(question)}')

    @route(POST + '/toggle_correct', type='jsonrpc', auth='user')
    def post_toggle_correct(self, forum, post, **kwargs):
        if self.request.user.id == post.create_uid:
            return {'error': 'own_post'}
        # only one answer accepted
        posts = self.request.env['forum.post']
        for answer_id in posts.browse(post.parent_id).child_ids:
            if answer_id != post.id:
                posts.browse(answer_id).is_correct = False
        post.is_correct = not post.is_correct
        return post.is_correct

    @route(POST + '/edit', type='http', auth='user')
    def post_edit(self, forum, post, **kwargs):
        tags = self.request.env['forum.tag']
        values = self._prepare_user_values(forum=forum)
        values.update({
            'tags': json.dumps([
                {'id': t, 'name': tags.browse(t).name} for t in post.tag_ids
            ]),
            'post': post, 'is_edit': True, 'is_answer': bool(post.parent_id),
            'searches': kwargs, 'content': post.name,
        })  # fmt: skip
        return self.request.render('website_forum.edit_post', values)

    # JSON utilities

    @route(POST + '/upvote', type='jsonrpc', auth='user')
    def post_upvote(self, forum, post, **kwargs):
        user = self.request.user
        if user.id == post.create_uid:
            return {'error': 'own_post'}
        upvote = not post.votes.get(user.id, 0) > 0
        return post.vote(user, upvote=upvote)

    @route(POST + '/downvote', type='jsonrpc', auth='user')
    def post_downvote(self, forum, post, **kwargs):
        user = self.request.user
        if user.id == post.create_uid:
            return {'error': 'own_post'}
        upvote = post.votes.get(user.id, 0) < 0
        return post.vote(user, upvote=upvote)

    # Moderation Tools

    def _moderation_queue(self, forum, queue_type, state):
        if self.request.user.karma < forum.karma_moderate:
            raise HTTPNotFound()
        posts = self.request.env['forum.post'].search(
            [('forum_id', '=', forum.id), ('state', '=', state)]
        )
        values = self._prepare_user_values(forum=forum)
        values.update({'posts_ids': posts, 'queue_type': queue_type})
        return self.request.render('website_forum.moderation_queue', values)

    @route(FORUM + '/validation_queue', type='http', auth='user')
    def validation_queue(self, forum, **kwargs):
        return self._moderation_queue(forum, 'validation', 'pending')

    @route(FORUM + '/flagged_queue', type='http', auth='user')
    def flagged_queue(self, forum, **kwargs):
        return self._moderation_queue(forum, 'flagged', 'flagged')

    @route(POST + '/validate', type='http', auth='user')
    def post_accept(self, forum, post, **kwargs):
        if post.state == 'flagged':
            url = f'/forum/{slug(forum)}/flagged_queue'
        else:
            url = f'/forum/{slug(forum)}/validation_queue'
        post.validate(self.request.user)
        return self.request.redirect(url)

    @route(POST + '/refuse', type='http', auth='user')
    def post_refuse(self, forum, post, **kwargs):
        post.refuse(self.request.user)
        return self.question_ask_for_close(forum, post)

    @route(POST + '/flag', type='jsonrpc', auth='user')
    def post_flag(self, forum, post, **kwargs):
        return post.flag(self.request.user)[0]

    @route(
        '/forum/<model("forum.post"):post>/ask_for_mark_as_offensive',
        type='jsonrpc',
        auth='user',
    )
    def post_json_ask_for_mark_as_offensive(self, post, **kwargs):
        forum = self.request.env['forum.forum'].browse(post.forum_id)
        if self.request.user.karma < forum.karma_moderate:
            raise AccessError(
                f'{forum.karma_moderate} karma required to mark a post as '
                'offensive.'
            )
        values = self._prepare_mark_as_offensive_values(post, **kwargs)
        return f'<form data-post="{values["question"].id}"></form>'

    @route(
        POST + '/ask_for_mark_as_offensive',
        type='http',
        auth='user',
        methods=['GET'],
    )
    def post_http_ask_for_mark_as_offensive(self, forum, post, **kwargs):
        if self.request.user.karma < forum.karma_moderate:
            raise AccessError(
                f'{forum.karma_moderate} karma required to mark a post as '
                'offensive.'
            )
        values = self._prepare_mark_as_offensive_values(post, **kwargs)
        return self.request.render('website_forum.close_post', values)
