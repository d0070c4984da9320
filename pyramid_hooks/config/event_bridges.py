"""The bridges from Pyramid's events to the request-lifecycle hooks: one
subscriber per event, added only once a hook of it has listeners."""

from pyramid.interfaces import (
    IApplicationCreated,
    IContextFound,
    INewRequest,
    INewResponse,
)

from pyramid_hooks.finished import add_finished_callback

#: hook -> (Pyramid event interface, the event attributes passed on)
EVENT_BINDINGS = {
    'new_request': (INewRequest, None),
    'request_finished': (INewRequest, None),
    'context_found': (IContextFound, ('request',)),
    'new_response': (INewResponse, ('request', 'response')),
    'configure_new_app': (IApplicationCreated, ('app',)),
}


def bind_event(hooks, registry, name):
    """Subscribe the bridge of hook *name* once, when it has listeners."""
    default = hooks.default
    iface, attrs = EVENT_BINDINGS[name]
    if iface in hooks.bound_events or not default.has_listeners(name):
        return
    hooks.bound_events.add(iface)
    if attrs is None:
        # queued before the ``new_request`` listeners run (one may fail)
        def subscriber(event):
            request = event.request
            if default.has_listeners('request_finished'):
                add_finished_callback(request)
            if default.has_listeners('new_request'):
                default.notify('new_request', request)
    else:

        def subscriber(event):
            default.notify(name, *[getattr(event, attr) for attr in attrs])

    registry.registerHandler(subscriber, (iface,))
