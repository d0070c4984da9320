"""The render-call step of the pipeline deriver (``docs/pipeline.rst``):
``before_render_call`` and ``after_render_call`` around the renderer."""

from pyramid.interfaces import IRendererInfo
from pyramid.renderers import null_renderer
from zope.interface import implementer

from pyramid_hooks.error_handlers import error_handler_keys
from pyramid_hooks.hooks import get_hooks
from pyramid_hooks.scopes import view_scope
from pyramid_hooks.workarounds import (
    as_response,
    hand_override_renderer,
    handed_override_renderer,
    hook_renderer,
)

#: The hooks of the render-call step, TurboGears' names.
RENDER_CALL_HOOKS = ('before_render_call', 'after_render_call')


def before_render_with(listeners, registry, request, params, result):
    """Notify the ``before_render`` *listeners* of the view's *result*
    unless it is a response; return *result*, or the response an adapter
    made of it (called once: it may consume the value)."""
    if not listeners:
        return result
    response = as_response(result, registry)
    if response is not None:
        return response
    for listener in listeners:
        listener(request, params, result)
    return result


@implementer(IRendererInfo)
class HookedRenderer:
    """A view's renderer helper whose renderer call runs the render-call
    listeners around the real one, seeing the values every deriver
    returned; anything else is the helper's."""

    __slots__ = ('choose', 'helper')

    def __init__(self, helper, choose):
        self.helper = helper
        #: ``choose(request)``: the ``(before, after)`` listeners
        self.choose = choose

    def __getattr__(self, name):
        if name == 'helper':  # not set yet: a copy made without __init__
            raise AttributeError(name)
        return getattr(self.helper, name)

    def clone(self):
        """Itself: :meth:`render_view` clones the helper per call."""
        return self

    def render_view(self, request, value, view, context):
        helper = handed_override_renderer(request)
        if helper is None:
            helper = self.helper.clone()
        before, after = self.choose(request)
        name = helper.name
        for listener in before:
            listener(request, name, value)
        response = helper.render_view(request, value, view, context)
        for listener in after:
            listener(request, name, value, response)
        return response


def render_call_view(view, info, scope=None):
    """The render-call step (under ``rendered_view``): with listeners, the
    view's renderer becomes a :class:`HookedRenderer`, handed
    ``request.override_renderer``."""
    renderer = info.options.get('renderer')
    if renderer is None or renderer is null_renderer:
        return view
    registry = info.registry
    ns = get_hooks(registry).default
    if not any(map(ns.has_listeners, RENDER_CALL_HOOKS)):
        return view
    keys, app_wide = scope() if scope else view_scope(info)
    handler = error_handler_keys(info)
    mine = [
        ns.listeners_for(hook, keys, app_wide) for hook in RENDER_CALL_HOOKS
    ]
    theirs = mine
    if handler is not None:
        theirs = [
            ns.listeners_for(hook, handler, app_wide)
            for hook in RENDER_CALL_HOOKS
        ]
    if not any((*mine, *theirs)):
        return view
    package = info.package

    def choose(request):
        if handler is not None and (
            getattr(request, 'validation_errors', None) is not None
        ):
            return theirs
        return mine

    hook_renderer(info, lambda helper: HookedRenderer(helper, choose))

    def render_call(context, request):
        result = view(context, request)
        return hand_override_renderer(request, result, package, registry)

    return render_call
