"""Widgets reachable by dotted name (for ``add_widget`` and handlers given
as dotted names in tests/test_widgets.py)."""

from pyramid.response import Response

from pyramid_hooks.widgets import ServerSideCallbackMixin, serverside_callback


def teapot(callback, request):
    """An authorization handler that answers 418 for everything."""
    return Response('teapot', status=418)


class Dotted(ServerSideCallbackMixin):
    callback_authorization = 'pyramid_hooks.widgets.always_allow'

    @serverside_callback
    def hello(self, request):
        return Response('dotted hello')


dotted = Dotted(id='dotted')
