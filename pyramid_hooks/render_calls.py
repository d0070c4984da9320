"""The render-call step of the pipeline deriver (``docs/pipeline.rst``):
the hooks ``before_render_call`` and ``after_render_call`` around
Pyramid's renderer call, which Pyramid itself offers no hook after.
"""

from pyramid.renderers import null_renderer

from pyramid_hooks.error_handlers import error_handler_keys
from pyramid_hooks.hooks import get_hooks
from pyramid_hooks.scopes import view_scope
from pyramid_hooks.shared import as_response
from pyramid_hooks.workarounds import rendered_view_choice

#: The hooks of the render-call step, TurboGears' names.
RENDER_CALL_HOOKS = ('before_render_call', 'after_render_call')


def render_call_view(view, info, received, scope=None):
    """The render-call step (outermost in the pipeline deriver, right under
    Pyramid's ``rendered_view``):
    ``before_render_call(request, renderer_name, values)`` and
    ``after_render_call(request, renderer_name, values, response)`` around
    the renderer call of a view with a renderer that returned a value to
    render.  Pyramid offers no hook after its renderer call, so with
    listeners this deriver makes that call itself, as ``rendered_view``
    would (the view's renderer or ``request.override_renderer``, the view
    instance of a class view, else the original view of *received*, the
    view as the pipeline deriver got it), and ``rendered_view``
    passes the response on; without listeners the view is returned
    unchanged.  *scope* as for
    :func:`~pyramid_hooks.pipeline.controller_wrappers_view`."""
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

    def render_call(context, request):
        result = view(context, request)
        if as_response(result, registry) is not None:
            return result
        before, after = mine
        if handler is not None and (
            getattr(request, 'validation_errors', None) is not None
        ):
            before, after = theirs
        helper, view_inst = rendered_view_choice(
            request, renderer, received, package, registry
        )
        for listener in before:
            listener(request, helper.name, result)
        response = helper.render_view(request, result, view_inst, context)
        for listener in after:
            listener(request, helper.name, result, response)
        return response

    return render_call
