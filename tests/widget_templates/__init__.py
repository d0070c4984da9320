"""A widget whose callback renders a template of its own package, as a
widget library ships them (``tests/test_widget_renderers.py``)."""

from pyramid_hooks import ServerSideCallbackMixin, serverside_callback


class ItemList(ServerSideCallbackMixin):
    """Its template is named relative to this module, not to the package
    of the configuration that adds the widget."""

    @serverside_callback(renderer='item_list.mako')
    def items(self, request):
        return {'items': ['apple', '<pear>'], 'widget_id': self.id}
