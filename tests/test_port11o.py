"""The eleventh Odoo porter's pass (website_form, website_forum and
survey ported, tests/ports/): what the ports showed in pyramid_hooks."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks import Controller, route


class Survey(Controller):
    """survey's two routes of two segments under ``/survey/``, in the
    order that Pyramid needs (the named one first)."""

    @route(
        '/survey/<int:survey_id>/get_certification',
        auth='public',
        methods=['GET'],
    )
    def survey_get_certification(self, survey_id):
        return f'certificate {survey_id}'

    @route(
        '/survey/<string:survey_token>/<string:answer_token>', auth='public'
    )
    def survey_display_page(self, survey_token, answer_token):
        return f'page {survey_token} {answer_token}'


def make_app(controller):
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(controller)
    return TestApp(config.make_wsgi_app())


def test_a_named_get_route_before_a_wider_route_of_every_method_starts():
    """``/survey/<int:survey_id>/get_certification`` (``GET``) before
    ``/survey/<string:survey_token>/<string:answer_token>`` was refused
    ("is not served where ... its 405"), for ``POST
    /survey/1/get_certification``, and the other order is refused too
    (never served): survey could not start in any order.  A route with a
    static segment where the later has a placeholder answers its own
    URLs, its 405 too, as ``/movies/new`` does."""
    app = make_app(Survey)
    assert app.get('/survey/7/get_certification').text == 'certificate 7'
    assert app.get('/survey/abc/def').text == 'page abc def'
    app.post('/survey/7/get_certification', status=405)


def test_the_other_order_is_still_refused():
    class OdooOrder(Controller):
        survey_display_page = Survey.survey_display_page
        survey_get_certification = Survey.survey_get_certification

    with pytest.raises(ConfigurationError) as caught:
        make_app(OdooOrder)
    assert 'is never served' in str(caught.value)
