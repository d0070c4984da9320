"""What a hook namespace records (:mod:`pyramid_hooks.hooks`), and the
built-in hooks of the default namespace (``docs/hooks.rst``)."""

from dataclasses import dataclass

from pyramid_hooks.shared import describe_info, object_name

SCOPE_APP = 'app'
SCOPE_VIEW = 'view'
SCOPE_ANY = 'any'
SCOPES = (SCOPE_APP, SCOPE_VIEW, SCOPE_ANY)

#: The name under which the default namespace is kept.
DEFAULT_NAMESPACE = ''


def describe_hook(namespace, name):
    """``'name'`` or ``'namespace:name'``, for messages and ``phooks``."""
    return f'{namespace}:{name}' if namespace else name


@dataclass(eq=False, slots=True)
class HookSpec:
    """A declared hook point: what ``config.add_hook`` was given."""

    name: str
    args: tuple = ()
    namespace: str = DEFAULT_NAMESPACE
    value: bool = False
    scope: str = SCOPE_APP
    trap_exceptions: bool = False
    info: object = None

    @property
    def call_args(self):
        """The names a listener is called with (``value`` first)."""
        return (('value',) if self.value else ()) + self.args

    def __repr__(self):
        return (
            f'<HookSpec {describe_hook(self.namespace, self.name)}'
            f'({", ".join(self.call_args)}) scope={self.scope}>'
        )


@dataclass(eq=False, slots=True)
class Registration:
    """One listener of one hook, app-wide (``key is None``) or scoped."""

    namespace: str
    hook: str
    listener: object
    key: object
    info: object
    seq: int

    def describe(self):
        """``"<listener> of the hook '<hook>' (registered at <where>)"``."""
        return (
            f'{object_name(self.listener)} of the hook '
            f'{describe_hook(self.namespace, self.hook)!r} (registered at '
            f'{describe_info(self.info)})'
        )

    def __repr__(self):
        where = '' if self.key is None else f' scoped to {self.key!r}'
        return (
            f'<Registration {describe_hook(self.namespace, self.hook)} '
            f'{self.listener!r}{where}>'
        )


#: Built-in hooks of the default namespace: name -> (args, scope, value).
BUILTIN_HOOKS = {
    'before_validate': (('request', 'params'), SCOPE_ANY, False),
    'before_call': (('request', 'params'), SCOPE_ANY, False),
    'before_render': (('request', 'params', 'output'), SCOPE_ANY, False),
    'after_render': (('request', 'response'), SCOPE_ANY, False),
    'before_render_call': (
        ('request', 'renderer_name', 'values'),
        SCOPE_ANY,
        False,
    ),
    'after_render_call': (
        ('request', 'renderer_name', 'values', 'response'),
        SCOPE_ANY,
        False,
    ),
    'new_request': (('request',), SCOPE_APP, False),
    'context_found': (('request',), SCOPE_APP, False),
    'new_response': (('request', 'response'), SCOPE_APP, False),
    'request_finished': (('request',), SCOPE_APP, False),
    'initialized_config': (('config', 'settings'), SCOPE_APP, False),
    'config_setup': (('config', 'settings'), SCOPE_APP, False),
    'configure_new_app': (('app',), SCOPE_APP, False),
    'before_wsgi_middlewares': ((), SCOPE_APP, True),
    'after_wsgi_middlewares': ((), SCOPE_APP, True),
}

#: The hooks fired inside the view pipeline (those views may scope).
PIPELINE_HOOKS = tuple(
    name for name, (_, scope, _) in BUILTIN_HOOKS.items() if scope == SCOPE_ANY
)
