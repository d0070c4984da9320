"""Port of tgapp-tgcomments 0.2.6 to Pyramid with pyramid_hooks.

Original: ``tgcomments/__init__.py`` (``plugme``),
``tgcomments/controllers/root.py`` (``RootController``: ``new``,
``delete``, ``hide``, ``vote``, ``back_to_referer``),
``tgcomments/lib/__init__.py`` (``manager_permission``,
``get_user_gravatar``, ``FakeCommentEntity``), ``tgcomments/partials.py``
(``comments_for``) and ``tgcomments/model/sqla/models.py`` (``Comment``,
``CommentVote``).  The SQLAlchemy models and sprox's provider are kept in
memory (:class:`Store`, in the settings as the original keeps its options
in ``tg.config``), FormEncode's validators are small functions, the
Facebook notification and the templates are left out.

TurboGears -> Pyramid:

- ``hooks.notify('tgcomments.before_add', args=(entity, user, kw))`` ->
  ``request.hooks.notify('tgcomments.before_add', entity, user, kw)``,
  the dotted name in the default namespace as the original has it,
  declared with ``config.add_hook`` so that listeners are checked at
  startup (the application registers them in code: a ``hooks.on.``
  setting would name a namespace ``tgcomments``);
- ``@validate({...}, error_handler=new_error_handler)``,
  ``new_error_handler`` a plain method of the class body (no
  ``@expose``) -> ``validate=`` + ``error_handler=new_error_handler``
  written the same way; it raises the redirect back to the referer;
- ``@require(manager_permission())`` (``Any(in_group('tgcmanager'),
  has_permission('tgcomments-manage'))``) -> an auth mode
  ``tgcmanager``; ``@require(not_anonymous())`` -> ``auth='user'``;
  ``new`` (``@expose()`` without ``@require``) -> ``auth='public'``;
- ``@validate({'comment': EntityConverter(Comment)},
  error_handler=fail_with(404))`` -> ``validate=`` a function converting
  ``comment`` (a query parameter or the path's remainder, as TurboGears
  passes either) and a plain ``fail_with(404)`` error handler;
- ``/vote/3/1`` (object dispatch's remainder as positional arguments) ->
  a second pattern of the route;
- ``flash`` / ``redirect(request.referer)`` -> ``request.session.flash``
  and a raised ``HTTPFound``;
- ``config['_pluggable_tgcomments_config']`` -> the same key of
  ``request.registry.settings``;
- the partial ``comments_for(entity)`` (``@expose('...comments_partial')``
  called from the application's templates) -> a function of the request
  and the entity that the application's view calls.
"""

from dataclasses import dataclass, field
from datetime import datetime
from hashlib import md5

from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound

from pyramid_hooks import Controller, Invalid, route

CONFIG_KEY = '_pluggable_tgcomments_config'


@dataclass
class CommentVote:
    comment_id: int
    user_id: int
    value: int
    created_at: datetime = field(default_factory=datetime.utcnow)


@dataclass
class Comment:
    uid: int
    body: str
    entity_type: str
    entity_id: str
    author_name: str
    author_username: str = 'anon'
    author_pic: str = None
    user_id: int = None
    hidden: bool = False
    votes: list = field(default_factory=list)

    @property
    def rank(self):
        return sum(v.value for v in self.votes)

    def __json__(self, request):
        return {
            'uid': self.uid,
            'body': self.body,
            'author': self.author_name,
            'pic': self.author_pic,
            'hidden': self.hidden,
            'rank': self.rank,
        }


class FakeCommentEntity:
    """An entity type of no table: comments on any id."""

    def __init__(self, uid):
        self.uid = uid


class Store:
    """``DBSession`` over the comments and the application's models (a
    model is a dict of its records by primary key)."""

    def __init__(self, models):
        self.models = models
        self.comments = {}

    def add_comment(self, entity, user, body):
        entity_type, entity_id = type(entity).__name__, str(entity.uid)
        c = Comment(len(self.comments) + 1, body, entity_type, entity_id, '')
        if isinstance(user, dict):
            c.author_username = user.get('user_name')
            c.author_name = user['name']
            c.author_pic = user.get('avatar')
        else:
            c.user_id = user.uid
            c.author_username = user.user_name
            c.author_name = user.display_name
            c.author_pic = get_user_gravatar(user.email_address)
        self.comments[c.uid] = c
        return c

    def comments_for(self, entity, hidden):
        return [
            c
            for c in reversed(self.comments.values())  # created_at desc
            if c.entity_type == type(entity).__name__
            and c.entity_id == str(entity.uid)
            and (hidden or not c.hidden)
        ]


def options(request):
    return request.registry.settings[CONFIG_KEY]


def manager_permission(request):
    """``Any(in_group('tgcmanager'), has_permission('tgcomments-manage'))``
    over TurboGears' ``request.identity``."""
    identity = request.identity or {}
    return 'tgcmanager' in identity.get(
        'groups', ()
    ) or 'tgcomments-manage' in identity.get('permissions', ())


def get_user_gravatar(email):
    mhash = md5(email.encode()).hexdigest()
    return f'http://www.gravatar.com/avatar/{mhash}?s=32'


def back_to_referer(request, message=None, status='ok'):
    if message:
        request.session.flash(message, status)
    raise HTTPFound(request.referer or request.host_url)


def fail_with(status):
    """tgext.datahelpers' ``fail_with``."""

    def handler(request):
        return {403: HTTPForbidden, 404: HTTPNotFound}[status]()

    return handler


def not_empty(params, *names):
    errors = {
        n: 'Please enter a value'
        for n in names
        if not str(params.get(n) or '').strip()
    }
    if errors:
        raise Invalid(errors)
    return params


def check_new(request, params):
    return not_empty(params, 'entity_type', 'entity_id', 'body')


def check_comment(request, params):
    """``EntityConverter(model.Comment)`` on ``comment``."""
    found = options(request)['store'].comments.get(
        int(params['comment']) if str(params.get('comment')).isdigit() else 0
    )
    if found is None:
        raise Invalid({'comment': 'Object not found'})
    params['comment'] = found
    return params


def check_vote(request, params):
    """``{'comment': EntityConverter(Comment), 'value': Int(...)}``."""
    try:
        params['value'] = int(params.get('value'))
    except (TypeError, ValueError):
        raise Invalid({'value': 'Please enter an integer value'})
    return check_comment(request, params)


class RootController(Controller):
    def new_error_handler(self, *args, **kwargs):
        back_to_referer(
            self.request, 'Please provide comment details', 'error'
        )

    @route(
        '/new',
        auth='public',
        validate=check_new,
        error_handler=new_error_handler,
    )
    def new(self, **kw):
        request = self.request
        store = options(request)['store']
        entity_type = store.models.get(kw['entity_type'])
        entity_id = kw['entity_id']
        if entity_type is None:
            return back_to_referer(request, 'Failed to post comment', 'error')

        if issubclass(entity_type, FakeCommentEntity):
            entity = entity_type(entity_id)
        else:
            entity = entity_type.records.get(entity_id)
            if not entity:
                return back_to_referer(
                    request, 'Failed to post comment', 'error'
                )

        if not request.identity:
            try:
                not_empty(kw, 'author', 'email')
                if '@' not in kw['email']:
                    raise Invalid(
                        {'email': 'An email address must contain a single @'}
                    )
            except Invalid:
                return back_to_referer(
                    request,
                    'A name and an email are required in order to comment',
                    'error',
                )
            user = {
                'name': kw['author'],
                'avatar': get_user_gravatar(kw['email']),
                'user_name': 'anon',
            }
        else:
            user = request.identity['user']

        request.hooks.notify('tgcomments.before_add', entity, user, kw)
        c = store.add_comment(entity, user, kw['body'])
        request.hooks.notify('tgcomments.after_add', c)
        return back_to_referer(request, 'Comment Added')

    @route(['/delete', '/delete/<comment>'], auth='tgcmanager')
    def delete(self, comment):
        store = options(self.request)['store']
        store.comments.pop(int(comment) if comment.isdigit() else 0, None)
        return back_to_referer(self.request, 'Comment Deleted')

    @route(
        ['/hide', '/hide/<comment>'],
        auth='tgcmanager',
        validate=check_comment,
        error_handler=fail_with(404),
    )
    def hide(self, comment):
        comment.hidden = not comment.hidden
        if comment.hidden:
            return back_to_referer(self.request, 'Comment Hidden')
        return back_to_referer(self.request, 'Comment Displayed')

    @route(
        ['/vote', '/vote/<comment>/<value>'],
        auth='user',
        validate=check_vote,
        error_handler=fail_with(404),
    )
    def vote(self, comment, value):
        user = self.request.identity['user']
        user_votes = [v for v in comment.votes if v.user_id == user.uid]
        vote = user_votes[0] if user_votes else None

        min_vote_value, max_vote_value = options(self.request).get(
            'votes_range', (-1, 1)
        )
        value = min(max(min_vote_value, value), max_vote_value)

        if vote is None:
            comment.votes.append(CommentVote(comment.uid, user.uid, value))
        elif vote.value != value:
            vote.value = value
            return back_to_referer(self.request, 'Vote updated')
        else:
            return back_to_referer(
                self.request, 'Already voted this comment', 'warning'
            )
        return back_to_referer(self.request, 'Thanks for your vote!')


def comments_for(request, entity):
    """The partial: what its template receives."""
    opts = options(request)
    hidden = bool(request.identity) and manager_permission(request)
    return {
        'entity_type': type(entity).__name__,
        'entity_id': entity.uid,
        'comments': opts['store'].comments_for(entity, hidden),
        'allow_anonymous': opts.get('allow_anonymous', True),
    }


def plugme(config, mount_point='/tgcomments', models=(), **opts):
    """``plug(base_config, 'tgcomments', ...)``; *models* are TurboGears'
    ``app_model`` classes that comments may be about."""
    opts['store'] = Store({m.__name__: m for m in models})
    config.add_settings({CONFIG_KEY: opts})
    config.add_controller_auth('tgcmanager', manager_permission)
    # declared, a listener's signature is checked at startup
    config.add_hook('tgcomments.before_add', args=('entity', 'user', 'kw'))
    config.add_hook('tgcomments.after_add', args=('comment',))
    with config.route_prefix_context(mount_point):
        config.add_controller(RootController)
    return {'appid': 'tgcomments', 'global_helpers': False}
