"""widgets.rst, "Porting from ToscaWidgets 2": the server side of a grid
widget (tw2's ``@classmethod request`` with ``@jsonify``) and a JSONP
lookup, ported to server-side callbacks with renderers."""

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPBadRequest
from pyramid.renderers import JSONP

from pyramid_hooks import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)

FRUIT = ['apple', 'banana', 'cherry', 'date', 'elderberry', 'fig', 'grape']


class FruitGrid(ServerSideCallbackMixin):
    rows_per_page = 3

    @serverside_callback(request_method='GET', renderer='json')
    def rows(self, request):
        """jqGrid's data: ``?page=2`` answers the second page."""
        page = request.params.get('page', '1')
        # the length before int(), which refuses over 4,300 digits (a 500)
        if not (
            page.isascii() and page.isdigit() and len(page) < 4 and int(page)
        ):
            raise HTTPBadRequest('page must be a page number')
        page, size = int(page), self.rows_per_page
        shown = FRUIT[(page - 1) * size : page * size]
        return {
            'page': page,
            'total': -(-len(FRUIT) // size),  # the number of pages
            'records': len(FRUIT),
            'rows': [
                {'id': (page - 1) * size + n + 1, 'cell': [name]}
                for n, name in enumerate(shown)
            ],
        }

    @serverside_callback(request_method='GET', renderer='jsonp')
    def lookup(self, request):
        """Names starting with ``?term=``, for jQuery's JSONP
        (``?callback=jQuery...``)."""
        term = request.params.get('term', '')[:20]
        return [name for name in FRUIT if name.startswith(term)]


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_renderer('jsonp', JSONP(param_name='callback'))
    grid = FruitGrid(id='fruit', callback_authorization=always_allow)
    config.add_widget(grid)
    return config.make_wsgi_app()


if __name__ == '__main__':
    from waitress import serve

    serve(main({}), listen='localhost:6543')
