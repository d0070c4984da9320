"""tw2.jqplugins.ui 2.3.0, ported (tests/ports/tw2_jqplugins_ui.py): the
request-local theme, autocompletes fed by the server, a tab loaded via
ajax."""

import json
import re

import pytest
from pyramid.config import Configurator
from pyramid.scripting import prepare
from webtest import TestApp

from pyramid_hooks import always_allow
from tests.ports.tw2_jqplugins_ui import (
    AutocompleteWidget,
    CategoryAutocompleteWidget,
    DemoTabsWidget,
    TabsWidget,
    set_ui_theme_name,
)

LANGUAGES = [
    'ActionScript',
    'AppleScript',
    'Asp',
    'BASIC',
    'Java',
    'JavaScript',
    'Python',
    'Scala',
]
PEOPLE = [
    {'label': 'anders', 'category': ''},
    {'label': 'annhhx10', 'category': 'Products'},
    {'label': 'andreas johnson', 'category': 'People'},
]


def make_app():
    widgets = {
        'complete': AutocompleteWidget(
            id='lang',
            options={'delay': 0, 'minLength': 2},
            events={'select': 'function (e, ui) { picked(ui); }'},
            callback_authorization=always_allow,
        ),
        'category': CategoryAutocompleteWidget(
            id='who', callback_authorization=always_allow
        ),
        'tabs': DemoTabsWidget(id='tabs', callback_authorization=always_allow),
    }
    widgets['complete'].choices = LANGUAGES
    widgets['category'].choices = PEOPLE

    def page(request):
        if 'theme' in request.GET:
            set_ui_theme_name(request, request.GET['theme'])
        return widgets[request.matchdict['name']].render(request)

    config = Configurator()
    config.include('pyramid_hooks')
    config.include('tests.ports.tw2_jqplugins_ui')
    for widget in widgets.values():
        config.add_widget(widget)
    config.add_route('page', '/page/{name}')
    config.add_view(page, route_name='page', renderer='string')
    return TestApp(config.make_wsgi_app())


def script_options(page, method):
    found = re.search(rf'\.{method}\((.*)\);', page)
    return json.loads(found[1])


def test_autocomplete_page_points_source_at_its_callback():
    app = make_app()
    page = app.get('/page/complete').text
    options = script_options(page, 'autocomplete')
    assert options == {
        'delay': 0,
        'minLength': 2,
        'source': '/_widgets/lang/source',
    }
    assert (
        '$("#lang").bind("select", function (e, ui) { picked(ui); });' in page
    )
    # the options are encoded afresh for each page, never twice
    assert (
        script_options(app.get('/page/complete').text, 'autocomplete')
        == options
    )


def test_source_answers_what_contains_the_term_any_case():
    app = make_app()
    found = app.get('/_widgets/lang/source', {'term': 'ja'}).json
    assert found == ['Java', 'JavaScript']
    assert app.get('/_widgets/lang/source', {'term': 'SCRIPT'}).json == [
        'ActionScript',
        'AppleScript',
        'JavaScript',
    ]
    app.post('/_widgets/lang/source', {'term': 'ja'}, status=405)


def test_category_source_answers_labelled_dicts():
    app = make_app()
    page = app.get('/page/category').text
    assert script_options(page, 'catcomplete') == {
        'source': '/_widgets/who/source'
    }
    found = app.get('/_widgets/who/source', {'term': 'and'}).json
    assert found == [PEOPLE[0], PEOPLE[2]]


def test_tab_via_ajax_links_its_callback():
    app = make_app()
    page = app.get('/page/tabs').text
    links = re.findall(r'<li><a href="([^"]*)">([^<]*)</a></li>', page)
    assert links == [
        ('#tabs:0', 'Section 1'),
        ('#tabs:1', 'Section 2'),
        ('/_widgets/tabs/ajaxtab', 'Section 3 (via ajax)'),
    ]
    assert '<div id="tabs:1"><p>Sed non urna.</p></div>' in page
    assert 'tabs:2' not in page
    tab = app.get('/_widgets/tabs/ajaxtab')
    assert tab.content_type == 'text/html'
    assert tab.text == '<p>wow.. this came via <h4>ajax!</h4></p>'


def test_theme_is_per_request():
    app = make_app()
    css = re.compile(r'<link rel="stylesheet" href="([^"]+)"/>')
    themed = css.search(app.get('/page/tabs', {'theme': 'le-frog'}).text)[1]
    assert themed == (
        '/resources/tw2.jqplugins.ui/jquery/ui/1.8.17/css/le-frog/jquery-ui.css'
    )
    plain = css.search(app.get('/page/tabs').text)[1]
    assert plain.endswith('/css/smoothness/jquery-ui.css')
    with pytest.raises(ValueError, match='not a theme name'):
        app.get('/page/tabs', {'theme': '../../etc'})


def test_script_cannot_be_ended_by_an_option():
    app = make_app()
    page = app.get('/page/complete', {'theme': 'flick'}).text
    assert page.count('</script>') == 1
    config = Configurator()
    config.include('pyramid_hooks')
    config.include('tests.ports.tw2_jqplugins_ui')
    widget = AutocompleteWidget(id='x', options={'appendTo': '</script><b>'})
    config.add_widget(widget)
    env = prepare(registry=config.make_wsgi_app().registry)
    try:
        page = widget.render(env['request'])
    finally:
        env['closer']()
    assert page.count('</script>') == 1
    assert script_options(page, 'autocomplete')['appendTo'] == '</script><b>'


def test_bad_params_are_refused_at_startup():
    with pytest.raises(ValueError, match='supplied an id'):
        TabsWidget()
    with pytest.raises(ValueError, match='Options parameter must be a dict'):
        TabsWidget(id='t', options='{}')
    with pytest.raises(ValueError, match='Events parameter must be a dict'):
        TabsWidget(id='t', events=[])
    with pytest.raises(ValueError, match="no callback 'nope'"):
        TabsWidget(id='t', items=[{'label': 'x', 'callback': 'nope'}])
