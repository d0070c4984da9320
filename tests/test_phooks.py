"""``phooks`` run for real against the ini files of fixture applications
(``tests/phooks_fixtures``), in-process through ``main()`` and once as a
subprocess, plus the introspectable relations it documents."""

import json
import os
import subprocess
import sys

import pytest
from pyramid.paster import bootstrap

from pyramid_hooks.config import CATEGORY_CONTROLLER_WRAPPERS
from pyramid_hooks.scripts import phooks

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, 'phooks_fixtures')
FULL_INI = os.path.join(FIXTURES, 'full.ini')
MINIMAL_INI = os.path.join(FIXTURES, 'minimal.ini')
BARE_INI = os.path.join(FIXTURES, 'bare.ini')
APP_SOURCE = os.path.join(FIXTURES, 'phooks_full_app.py')


@pytest.fixture(autouse=True)
def fixtures_importable(monkeypatch):
    """The ini files load their apps with ``call:phooks_full_app:main``."""
    monkeypatch.syspath_prepend(FIXTURES)


def line_of(text):
    """``file:line`` of the first line of the full fixture app containing
    *text*: where phooks must say a registration was made."""
    with open(APP_SOURCE) as f:
        for number, line in enumerate(f, 1):
            if text in line:
                return f'{APP_SOURCE}:{number}'
    raise AssertionError(text)  # pragma: no cover


def run(capsys, *args):
    status = phooks.main(['phooks', *args])
    return status, capsys.readouterr().out


def run_json(capsys, *args):
    status, out = run(capsys, *args, '--format', 'json')
    assert status == 0
    return json.loads(out)


def by_name(items, name, key='name'):
    (found,) = [item for item in items if item[key] == name]
    return found


def find_view(report, view, attr=None):
    (found,) = [
        v for v in report['views'] if v['view'] == view and v['attr'] == attr
    ]
    return found


def test_requires_a_config_file(capsys):
    status, out = run(capsys)
    assert status == 2
    assert out == 'Requires a config file argument\n'


def test_app_without_pyramid_hooks(capsys):
    status, out = run(capsys, BARE_INI)
    assert status == 1
    assert 'pyramid_hooks is not included in the application of' in out
    assert BARE_INI in out


def test_quiet_prints_nothing():
    assert phooks.main(['phooks', FULL_INI], quiet=True) == 0


def test_script_name_reaches_the_app():
    seen = {}

    class Command(phooks.PHooksCommand):
        @staticmethod
        def bootstrap(config_uri, options=None):
            env = bootstrap(config_uri, options=options)
            seen.update(env['registry'].settings)
            return env

    status = Command(['phooks', FULL_INI, 'extra=1'], quiet=True).run()
    assert status == 0
    assert seen['fixture.script'] == 'phooks'


def test_text_settings_and_hooks(capsys):
    status, out = run(capsys, FULL_INI)
    assert status == 0
    lines = out.splitlines()
    assert lines[:2] == ['Settings (hooks.*)', '==================']
    assert (
        'hooks.controller_wrappers = phooks_full_app.settings_wrapper' in lines
    )
    assert 'hooks.controllers.debug = true' in lines
    assert 'hooks.strict = false' in lines
    assert (
        'hooks.widgets.authorization = pyramid_hooks.widgets.always_allow'
        in lines
    )
    assert 'hooks.widgets.prefix = /_w' in lines
    assert 'Hook namespaces, hooks and listeners' in lines
    assert '(default)  [non-strict]' in lines
    # listeners in call order: app-wide first, then scoped
    start = lines.index('  before_call(request, params)  scope=any built-in')
    home = line_of("'before_call', only_home")
    decorated = line_of('@before_call(log_call)')
    rel = os.path.relpath
    picked = line_of("'before_call', picked")
    assert lines[start + 1 : start + 4] == [
        f'    1. phooks_full_app.only_home  (route home)  [{rel(home)}]',
        '    2. phooks_full_app.picked  (view '
        f'phooks_full_app.Picker.choices)  [{rel(picked)}]',
        '    3. phooks_full_app.log_call  (view phooks_full_app.home)  '
        f'[{rel(decorated)}]',
    ]
    assert (
        '    1. phooks_full_app.stamp  (app-wide)  '
        '[setting hooks.on.before_render]'
    ) in lines
    assert '  page_seen  (not declared)' in lines
    assert '  (11 built-in hooks without listeners not shown)' in lines
    mailer = f'mailer  [strict]  [{rel(line_of("add_hook_namespace"))}]'
    assert mailer in lines
    # the add_hook( call spans lines; its info is the call's first line
    path, number = line_of("        'subject',").rsplit(':', 1)
    subject = f'{rel(path)}:{int(number) - 1}'
    assert (
        '  subject(value, message)  scope=app filter trap_exceptions  '
        f'[{subject}]'
    ) in lines
    bounced = [line for line in lines if line.startswith('  bounced()')]
    assert bounced == [f'  bounced()  scope=app  [{rel(line_of("bounced"))}]']
    assert lines[lines.index(bounced[0]) + 1] == '    (no listeners)'


def test_text_views(capsys):
    status, out = run(capsys, FULL_INI)
    assert status == 0
    lines = out.splitlines()
    assert 'Views: controller wrappers and pipeline hooks' in lines
    form = lines.index('route form POST  ->  phooks_full_app.form')
    timing = os.path.relpath(line_of('add_controller_wrapper(timing)'))
    assert lines[form + 1 : form + 9] == [
        '  controller wrappers (outermost first):',
        '    phooks_full_app.option_wrapper  (controller_wrappers= option)',
        f'    phooks_full_app.timing  (app-wide)  [{timing}]',
        '    phooks_full_app.settings_wrapper  (app-wide)  '
        '[setting hooks.controller_wrappers]',
        '  validate: phooks_full_app.check_form',
        '  error_handler: phooks_full_app.form_error',
        '  before_render: phooks_full_app.stamp',
        '  after_render: phooks_full_app.audit',
    ]
    about = lines.index('route pages  ->  phooks_full_app.Pages.about')
    scoped = os.path.relpath(line_of('add_controller_wrapper(scoped'))
    assert lines[about + 2] == (
        '    phooks_full_app.scoped_wrapper  (view '
        f'phooks_full_app.Pages.about)  [{scoped}]'
    )
    # exception views get only what is scoped to them
    default_exc = lines.index(
        'context pyramid.interfaces.IExceptionResponse (exception view)  ->  '
        'pyramid.httpexceptions.default_exceptionresponse_view'
    )
    assert lines[default_exc + 1] == '  (nothing from pyramid_hooks)'
    oops = lines.index(
        'context builtins.ValueError (exception view)  ->  '
        'phooks_full_app.oops'
    )
    assert lines[oops + 1 : oops + 3] == [
        '  after_render: phooks_full_app.audit',
        'context pyramid.interfaces.IExceptionResponse (exception view)  ->  '
        'pyramid.httpexceptions.default_exceptionresponse_view',
    ]
    home = lines.index('route home  ->  phooks_full_app.home')
    assert lines[home + 4 : home + 7] == [
        '  before_call: phooks_full_app.only_home, phooks_full_app.log_call',
        '  before_render: phooks_full_app.stamp, phooks_full_app.stamp',
        '  after_render: phooks_full_app.audit',
    ]


def test_text_application_wrappers(capsys):
    status, out = run(capsys, FULL_INI)
    assert status == 0
    lines = out.splitlines()
    start = lines.index('Application wrappers (outermost first)')
    rel = os.path.relpath
    assert lines[start + 2 : start + 8] == [
        'inside the tween '
        'pyramid_hooks.wrappers.application_wrappers_tween_factory (1 of 2 '
        'in the tween chain, outermost first; see ptweens)',
        '1. phooks_full_app.Outer  (after=True)  '
        f'[{rel(line_of("(Outer, after=True)"))}]',
        '2. phooks_full_app.Disabled  (after=request-id, not injected)  '
        f'[{rel(line_of("(Disabled,"))}]',
        '3. request-id = phooks_full_app.RequestId  (default)  '
        f'[{rel(line_of("(RequestId, name="))}]',
        '4. phooks_full_app.Inner2  (default)  '
        '[setting hooks.application_wrappers]',
        '5. phooks_full_app.Inner  (after=False)  '
        f'[{rel(line_of("(Inner, after=False)"))}]',
    ]


def test_json_application_wrappers(capsys):
    section = run_json(capsys, FULL_INI)['application_wrappers']
    assert section['tween'] == (
        'pyramid_hooks.wrappers.application_wrappers_tween_factory'
    )
    assert section['tweens'] == [
        'pyramid_hooks.wrappers.application_wrappers_tween_factory',
        'pyramid.tweens.excview_tween_factory',
    ]
    assert section['chain'][1] == {
        'name': 'phooks_full_app.Disabled',
        'wrapper': 'phooks_full_app.Disabled',
        'after': 'request-id',
        'injected': False,
        'registered_at': line_of('(Disabled,'),
    }
    assert [(w['after'], w['injected']) for w in section['chain']] == [
        (True, True),
        ('request-id', False),
        (None, True),
        (None, True),
        (False, True),
    ]


def test_application_wrappers_outside_the_tween_chain(capsys):
    status, out = run(capsys, MINIMAL_INI + '#explicit')
    assert status == 0
    lines = out.splitlines()
    start = lines.index('Application wrappers (outermost first)')
    assert lines[start + 2 : start + 4] == [
        'the tween pyramid_hooks.wrappers.application_wrappers_tween_factory '
        'is not in the tween chain',
        '(none)',
    ]


def test_text_minimal_app(capsys):
    status, out = run(capsys, MINIMAL_INI)
    assert status == 0
    lines = out.splitlines()
    assert lines[2] == '(none: defaults apply)'
    assert '  (15 built-in hooks without listeners not shown)' in lines
    assert '(no views)' in lines
    assert '(no widgets)' in lines
    assert lines[-1] == '(no controllers)'


def test_text_without_introspection(capsys):
    status, out = run(capsys, FULL_INI + '#nointrospection')
    assert status == 0
    lines = out.splitlines()
    assert (
        '(introspection is off: views found through the registry; view '
        'options such as validate= are not known)'
    ) in lines
    # where each registration was made is still known (the registry's own
    # records); the controller wrappers' only come from the introspector
    assert '    phooks_full_app.timing  (app-wide)' in lines
    about = lines.index('route pages  ->  phooks_full_app.Pages.about')
    assert lines[about + 2] == (
        '    phooks_full_app.scoped_wrapper  (view '
        'phooks_full_app.Pages.about)'
    )
    assert 'route data  ->  phooks_full_app.as_json' in lines
    assert 'route data  ->  phooks_full_app.as_html' in lines
    # views serving exceptions and requests are listed once
    default_exc = (
        'context webob.exc.WSGIHTTPException (exception view)  ->  '
        'pyramid.httpexceptions.default_exceptionresponse_view'
    )
    assert lines.count(default_exc) == 1
    oops = lines.index(
        'context builtins.ValueError (exception view)  ->  '
        'phooks_full_app.oops'
    )
    assert lines[oops + 1] == '  after_render: phooks_full_app.audit'


def test_json_document(capsys):
    report = run_json(capsys, FULL_INI)
    assert list(report) == [
        'phooks_format',
        'introspection',
        'settings',
        'namespaces',
        'application_wrappers',
        'views',
        'widgets',
        'controllers',
    ]
    assert report['phooks_format'] == 1
    assert report['introspection'] is True
    assert report['settings']['hooks.controllers.debug'] == 'true'
    default = by_name(report['namespaces'], '')
    assert default['strict'] is False
    assert default['registered_at'] is None
    before_call = by_name(default['hooks'], 'before_call')
    assert before_call == {
        'name': 'before_call',
        'declared': True,
        'builtin': True,
        'args': ['request', 'params'],
        'value': False,
        'scope': 'any',
        'trap_exceptions': False,
        'registered_at': None,
        'listeners': [
            {
                'listener': 'phooks_full_app.only_home',
                'scope': 'route',
                'target': 'home',
                'registered_at': line_of("'before_call', only_home"),
            },
            {
                'listener': 'phooks_full_app.picked',
                'scope': 'view',
                'target': 'phooks_full_app.Picker.choices',
                'registered_at': line_of("'before_call', picked"),
            },
            {
                'listener': 'phooks_full_app.log_call',
                'scope': 'view',
                'target': 'phooks_full_app.home',
                'registered_at': line_of('@before_call(log_call)'),
            },
        ],
    }
    page_seen = by_name(default['hooks'], 'page_seen')
    assert page_seen['declared'] is False
    assert page_seen['args'] is None
    mailer = by_name(report['namespaces'], 'mailer')
    assert mailer['strict'] is True
    assert mailer['registered_at'] == line_of('add_hook_namespace')
    subject = by_name(mailer['hooks'], 'subject')
    assert (subject['value'], subject['trap_exceptions']) == (True, True)
    assert subject['args'] == ['message']
    assert [h['name'] for h in mailer['hooks']] == [
        'bounced',
        'sent',
        'subject',
    ]


def test_json_views(capsys):
    report = run_json(capsys, FULL_INI)
    form = find_view(report, 'phooks_full_app.form')
    assert form['route_name'] == 'form'
    assert form['request_methods'] == ['POST']
    assert form['validate'] == 'phooks_full_app.check_form'
    assert form['error_handler'] == 'phooks_full_app.form_error'
    assert form['context'] is None
    assert form['exception_view'] is False
    oops = find_view(report, 'phooks_full_app.oops')
    assert oops['exception_view'] is True
    assert oops['context'] == 'builtins.ValueError'
    assert oops['controller_wrappers'] == []
    assert [item['scope'] for item in oops['hooks']['after_render']] == [
        'view'
    ]
    assert [
        (w['wrapper'], w['scope']) for w in form['controller_wrappers']
    ] == [
        ('phooks_full_app.option_wrapper', 'option'),
        ('phooks_full_app.timing', 'app'),
        ('phooks_full_app.settings_wrapper', 'app'),
    ]
    assert form['controller_wrappers'][2]['registered_at'] == (
        'setting hooks.controller_wrappers'
    )
    assert form['controller_wrappers'][1]['registered_at'] == line_of(
        'add_controller_wrapper(timing)'
    )
    about = find_view(report, 'phooks_full_app.Pages', attr='about')
    assert about['controller_wrappers'][0] == {
        'wrapper': 'phooks_full_app.scoped_wrapper',
        'scope': 'view',
        'target': 'phooks_full_app.Pages.about',
        'registered_at': line_of('add_controller_wrapper(scoped'),
    }
    contact = find_view(report, 'phooks_full_app.Pages', attr='contact')
    assert len(contact['controller_wrappers']) == 2
    home = find_view(report, 'phooks_full_app.home')
    assert list(home['hooks']) == [
        'before_validate',
        'before_call',
        'before_render',
        'after_render',
        'before_render_call',
        'after_render_call',
    ]
    assert home['hooks']['before_validate'] == []
    assert [
        (item['listener'], item['scope'])
        for item in home['hooks']['before_render']
    ] == [
        ('phooks_full_app.stamp', 'app'),
        ('phooks_full_app.stamp', 'view'),
    ]
    routes = [v['route_name'] for v in report['views']]
    assert routes == sorted(routes, key=lambda r: r or '')


def test_json_without_introspection(capsys):
    report = run_json(capsys, FULL_INI + '#nointrospection')
    assert report['introspection'] is False
    about = find_view(report, 'phooks_full_app.Pages', attr='about')
    assert [w['registered_at'] for w in about['controller_wrappers']] == [
        None,
        None,
    ]
    form = find_view(report, 'phooks_full_app.form')
    assert form['validate'] is None
    assert form['request_methods'] is None
    default = by_name(report['namespaces'], '')
    only_home = by_name(
        by_name(default['hooks'], 'before_call')['listeners'],
        'phooks_full_app.only_home',
        key='listener',
    )
    assert only_home['registered_at'] == line_of("'before_call', only_home")


def test_as_a_real_subprocess():
    env = dict(os.environ)
    root = os.path.dirname(HERE)
    env['PYTHONPATH'] = os.pathsep.join(
        [FIXTURES, root, env.get('PYTHONPATH', '')]
    )
    done = subprocess.run(
        [
            sys.executable,
            '-m',
            'pyramid_hooks.scripts.phooks',
            FULL_INI,
            '--format',
            'json',
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report['phooks_format'] == 1
    assert find_view(report, 'phooks_full_app.home')['route_name'] == 'home'


def test_config_variables_after_the_config_file(capsys, tmp_path):
    """``phooks app.ini prefix=/w``: as for Pyramid's own scripts."""
    ini = tmp_path / 'vars.ini'
    ini.write_text(
        '[app:main]\n'
        'use = call:phooks_minimal_app:main\n'
        'hooks.widgets.prefix = %(prefix)s\n'
    )
    report = run_json(capsys, str(ini), 'prefix=/w', 'unused=a=b')
    assert report['settings'] == {'hooks.widgets.prefix': '/w'}
    with pytest.raises(ValueError) as e:
        phooks.main(['phooks', str(ini), 'prefix'])
    assert str(e.value) == 'Variable assignment \'prefix\' invalid (no "=")'


def test_bad_format_is_refused(capsys):
    with pytest.raises(SystemExit) as e:
        phooks.main(['phooks', FULL_INI, '--format', 'yaml'])
    assert e.value.code == 2
    assert "invalid choice: 'yaml'" in capsys.readouterr().err


# -- introspectable relations ---------------------------------------------


def full_registry(section='main'):
    env = bootstrap(f'{FULL_INI}#{section}')
    env['closer']()
    return env['registry']


def related_titles(introspector, category, discriminator):
    intr = introspector.get(category, discriminator)
    return sorted(
        (r.category_name, str(r.discriminator))
        for r in introspector.related(intr)
    )


def test_scoped_listener_related_to_its_route_and_views():
    registry = full_registry()
    introspector = registry.introspector
    (entry,) = [
        e
        for e in introspector.get_category('pyramid_hooks listeners')
        if e['introspectable']['route_name'] == 'home'
    ]
    related = entry['related']
    assert sorted(r.category_name for r in related) == ['routes', 'views']
    (view,) = [r for r in related if r.category_name == 'views']
    assert view['route_name'] == 'home'
    # and the reverse: the view's page lists the listener
    assert entry['introspectable'] in introspector.related(view)


def test_scoped_wrapper_related_to_its_view_only():
    introspector = full_registry().introspector
    (entry,) = [
        e
        for e in introspector.get_category(CATEGORY_CONTROLLER_WRAPPERS)
        if e['introspectable']['view'] is not None
        and e['introspectable']['view'].__name__ == 'about'
    ]
    (view,) = entry['related']
    assert (view['attr'], view['route_name']) == ('about', 'pages')
    # app-wide registrations are related to nothing (they apply to all)
    app_wide = [
        e
        for e in introspector.get_category(CATEGORY_CONTROLLER_WRAPPERS)
        if e['introspectable']['view'] is None
    ]
    assert [e['related'] for e in app_wide] == [[], []]


def test_application_wrappers_related_to_their_tween():
    introspector = full_registry().introspector
    tween = introspector.get(
        'tweens',
        (
            'tween',
            'pyramid_hooks.wrappers.application_wrappers_tween_factory',
            False,
        ),
    )
    related = introspector.related(tween)
    assert sorted(intr.title for intr in related) == [
        'phooks_full_app.Disabled',
        'phooks_full_app.Inner',
        'phooks_full_app.Inner2',
        'phooks_full_app.Outer',
        'request-id',
    ]


def test_relating_without_introspection_is_harmless():
    registry = full_registry('nointrospection')
    introspector = registry.introspector
    # the app's own registrations were discarded, so nothing was related
    assert introspector.get_category('pyramid_hooks listeners') is None
    assert introspector.get_category('routes') is None


def test_traversal_views_and_unaffected_views(capsys):
    status, out = run(capsys, os.path.join(FIXTURES, 'plain.ini'))
    assert status == 0
    lines = out.splitlines()
    hello = lines.index("name 'hello'  ->  phooks_plain_app.hello")
    assert lines[hello + 1 : hello + 3] == [
        '  controller wrappers (outermost first):',
        '    phooks_plain_app.passthrough  (controller_wrappers= option)',
    ]
    root = lines.index('(any)  ->  phooks_plain_app.root')
    assert lines[root + 1] == '  (nothing from pyramid_hooks)'


def test_text_widgets(capsys):
    status, out = run(capsys, FULL_INI)
    assert status == 0
    lines = out.splitlines()
    start = lines.index('Widget callbacks')
    assert lines[start + 2 : start + 5] == [
        'prefix /_w, global authorization pyramid_hooks.widgets.always_allow',
        'picker  (phooks_full_app.Picker)  authorization '
        'phooks_full_app.Picker.callback_authorization',
        '  /_w/picker/choices  GET,POST; permission view; authorization '
        'phooks_full_app.Picker.callback_authorization (widget)',
    ]
    choices = lines[start + 5 : start + 12]
    assert '    before_call: phooks_full_app.picked' in choices
    assert (
        '  /_w/picker/ping  any method; no CSRF check; renderer json; '
        'authorization '
        'pyramid_hooks.widgets.always_allow (callback)'
    ) in lines
    clock = lines.index(
        '  /_w/clock/now  any method; authorization '
        'pyramid_hooks.widgets.always_allow (global)'
    )
    assert '    validate: phooks_full_app.check_form' in lines[clock:]
    # each callback is a view of the widgets route, with its own pipeline
    view = lines.index(
        'route pyramid_hooks.widgets context '
        'pyramid_hooks.widgets.views.CallbackContext[picker/choices] '
        'GET,POST  ->  phooks_full_app.Picker.choices'
    )
    assert '  before_call: phooks_full_app.picked' in lines[view : view + 6]
    # the 405 answer is an exception view: nothing app-wide applies to it
    refusal = lines.index(
        'route pyramid_hooks.widgets context '
        'pyramid.exceptions.PredicateMismatch (exception view)  ->  '
        'pyramid_hooks.widgets.views.method_not_allowed'
    )
    assert lines[refusal + 1] == '  (nothing from pyramid_hooks)'


def test_json_widgets(capsys):
    section = run_json(capsys, FULL_INI)['widgets']
    assert section['prefix'] == '/_w'
    assert section['authorization'] == 'pyramid_hooks.widgets.always_allow'
    picker = by_name(section['widgets'], 'picker', key='id')
    assert picker['widget'] == 'phooks_full_app.Picker'
    assert picker['path'] == '/_w/picker'
    assert picker['route_name'] == 'pyramid_hooks.widgets'
    choices = by_name(picker['callbacks'], 'choices')
    assert {k: v for k, v in choices.items() if k != 'hooks'} == {
        'name': 'choices',
        'attr': 'choices',
        'url': '/_w/picker/choices',
        'request_methods': ['GET', 'POST'],
        'permission': 'view',
        'require_csrf': True,
        'renderer': None,
        'authorization': 'phooks_full_app.Picker.callback_authorization',
        'authorization_source': 'widget',
        'exception_view': False,
        'validate': None,
        'error_handler': None,
        'controller_wrappers': [
            {
                'wrapper': 'phooks_full_app.timing',
                'scope': 'app',
                'target': None,
                'registered_at': line_of('add_controller_wrapper(timing)'),
            },
            {
                'wrapper': 'phooks_full_app.settings_wrapper',
                'scope': 'app',
                'target': None,
                'registered_at': 'setting hooks.controller_wrappers',
            },
        ],
    }
    assert [x['listener'] for x in choices['hooks']['before_call']] == [
        'phooks_full_app.picked'
    ]
    ping = by_name(picker['callbacks'], 'ping')
    assert (
        ping['require_csrf'],
        ping['renderer'],
        ping['authorization_source'],
    ) == (False, 'json', 'callback')
    clock = by_name(section['widgets'], 'clock', key='id')
    assert clock['authorization'] is None
    assert clock['callbacks'][0]['validate'] == 'phooks_full_app.check_form'


def test_text_controllers(capsys):
    status, out = run(capsys, FULL_INI)
    assert status == 0
    lines = out.splitlines()
    start = lines.index('Controllers (merged route options)')
    assert lines[start + 2 :] == [
        'auth modes: none, public, staff, user',
        'phooks_full_app.Shop  (served by phooks_full_app.ShopExtension)',
        '  /shop  -> index  [phooks_full_app.Shop.index]',
        '    type=http auth=public methods=GET,HEAD csrf=yes '
        'permission=view renderer=json',
        '  /store  -> index  [phooks_full_app.Shop.index:1]',
        '    type=http auth=public methods=GET,HEAD csrf=yes '
        'permission=view renderer=json',
        '  /shop/api  -> price  [phooks_full_app.Shop.price]',
        '    type=json auth=user methods=POST csrf=exempt (JSON) cors=*',
        '  not served: secret (redefined without @route in '
        'phooks_full_app.ShopExtension: unpublished)',
    ]
    # controller routes are views: named after their handler, with what
    # is scoped to the handler
    index = lines.index(
        'route phooks_full_app.Shop.index  ->  phooks_full_app.Shop.index'
    )
    scoped = os.path.relpath(line_of('scoped_wrapper, view=Shop.index'))
    assert lines[index + 2] == (
        '    phooks_full_app.scoped_wrapper  (view '
        f'phooks_full_app.Shop.index)  [{scoped}]'
    )


def test_json_controllers(capsys):
    section = run_json(capsys, FULL_INI)['controllers']
    assert section['auth_modes'] == ['none', 'public', 'staff', 'user']
    (shop,) = section['controllers']
    assert shop['name'] == 'phooks_full_app.Shop'
    assert shop['serving'] == 'phooks_full_app.ShopExtension'
    assert shop['classes'] == ['phooks_full_app.ShopExtension']
    assert shop['skipped'] == [
        {
            'handler': 'secret',
            'reason': 'redefined without @route in '
            'phooks_full_app.ShopExtension: unpublished',
        }
    ]
    assert shop['routes'][0] == {
        'route_name': 'phooks_full_app.Shop.index',
        'pattern': '/shop',
        'handler': 'index',
        'type': 'http',
        'auth': 'public',
        'methods': ['GET'],
        'cors': None,
        'csrf': True,
        'allow': 'GET, HEAD',
        'routes': ['/shop', '/store'],
        'view_options': {'permission': 'view', 'renderer': 'json'},
    }
    api = shop['routes'][2]
    assert (api['type'], api['cors'], api['allow'], api['methods']) == (
        'json',
        '*',
        'POST',
        None,
    )


def test_controller_views_without_introspection(capsys):
    report = run_json(capsys, FULL_INI + '#nointrospection')
    (index,) = [
        v
        for v in report['views']
        if v['route_name'] == 'phooks_full_app.Shop.index'
    ]
    assert index['view'] == 'phooks_full_app.Shop.index'
    # the handler's scope is rebuilt from the controller registry
    assert index['controller_wrappers'][0]['wrapper'] == (
        'phooks_full_app.scoped_wrapper'
    )
    # a widget callback is scoped to its widget's class and method, as
    # add_widget scoped it
    (choices,) = [
        v
        for v in report['views']
        if v['route_name'] == 'pyramid_hooks.widgets'
        and v['view'] == 'phooks_full_app.Picker.choices'
    ]
    assert [r['listener'] for r in choices['hooks']['before_call']] == [
        'phooks_full_app.picked'
    ]


DEMO = os.path.join(os.path.dirname(HERE), 'demo')
DEMO_FACTORY = os.path.join(DEMO, 'pyramid_hooks_demo', '__init__.py')
DOCS_DEMO_FACTORY = (
    'demo/pyramid_hooks_demo/__init__.py'  # as phooks.rst shows it
)


def demo_output(capsys, tmp_path, monkeypatch):
    """The lines ``phooks demo/development.ini`` prints (the ini is used
    as is; only its ``use =`` line, which needs the demo distribution
    installed (``pip install -e ./demo``), is pointed at the factory
    directly)."""
    monkeypatch.syspath_prepend(DEMO)
    with open(os.path.join(DEMO, 'development.ini')) as f:
        text = f.read()
    assert 'use = egg:pyramid_hooks_demo' in text
    ini = tmp_path / 'development.ini'
    ini.write_text(
        text.replace(
            'use = egg:pyramid_hooks_demo',
            'use = call:pyramid_hooks_demo:main',
        )
    )
    status, out = run(capsys, str(ini))
    assert status == 0
    return out.splitlines()


def test_the_demo_as_phooks_rst_shows_it(capsys, tmp_path, monkeypatch):
    """Each paragraph of the demo's output shown in ``phooks.rst`` (its
    ``...`` a paragraph break) is printed as it is shown, its lines
    together, in that order (with the demo's factory where the docs'
    checkout has it)."""
    lines = [
        line.replace(os.path.relpath(DEMO_FACTORY), DOCS_DEMO_FACTORY)
        for line in demo_output(capsys, tmp_path, monkeypatch)
    ]
    with open(os.path.join(os.path.dirname(HERE), 'docs', 'phooks.rst')) as f:
        text = f.read()
    after = text.split('prints, among the rest:\n\n.. code-block:: text\n\n')
    shown = []
    for line in after[1].splitlines():  # the indented block
        if line and not line.startswith('    '):
            break
        shown.append(line[4:])
    shown = shown[:-1]  # the blank line after it
    assert shown[0] == 'Application wrappers (outermost first)'
    position = 0
    text = '\n'.join(shown).replace('\n...\n', '\n\n')  # lines left out
    for paragraph in text.split('\n\n'):
        part = paragraph.splitlines()
        at = next(
            (
                n
                for n in range(position, len(lines))
                if lines[n : n + len(part)] == part
            ),
            None,
        )
        assert at is not None, paragraph
        position = at + len(part)


def test_the_demo(capsys, tmp_path, monkeypatch):
    """``phooks demo/development.ini`` shows the demo's whole
    configuration."""
    lines = demo_output(capsys, tmp_path, monkeypatch)
    factory = DEMO_FACTORY
    with open(factory) as f:
        source = f.read().splitlines()

    def where(text):
        """``file:line`` of the first line of the demo's factory with
        *text*."""
        number = next(n for n, line in enumerate(source, 1) if text in line)
        return f'{os.path.relpath(factory)}:{number}'

    assert any(
        text == f'search  [strict]  [{where("add_hook_namespace")}]'
        for text in lines
    )
    for expected in (
        'hooks.application_wrappers = pyramid_hooks_demo.wrappers.RequestId',
        '  results(value, request)  scope=app filter  '
        f'[{where("config.add_hook(")}]',
        '1. pyramid_hooks_demo.wrappers.SecurityHeaders  (after=True)  '
        f'[{where("config.add_application_wrapper(")}]',
        '2. pyramid_hooks_demo.wrappers.RequestId  (default)  '
        '[setting hooks.application_wrappers]',
        '  validate: pyramid_hooks_demo.views.check_signup',
        '  /_widgets/search/stats  GET; authorization '
        'pyramid_hooks.widgets.always_allow (callback)',
        '  /_widgets/search/results  GET; authorization '
        'pyramid_hooks_demo.security.logged_in_only (global)',
        'pyramid_hooks_demo.shop.Shop  (served by '
        'pyramid_hooks_demo.shop_offers.ShopWithOffers)',
        '  /offers  -> index  [pyramid_hooks_demo.shop.Shop.index:1]',
        '    type=json auth=public methods=POST csrf=exempt (JSON)',
    ):
        assert expected in lines, expected


def test_combined_extensions_and_unaffected_callbacks(capsys):
    status, out = run(capsys, os.path.join(FIXTURES, 'plain.ini'))
    assert status == 0
    lines = out.splitlines()
    hello = lines.index(
        '  /_widgets/plain/hello  any method; authorization '
        'pyramid_hooks.widgets.always_deny (global)'
    )
    # nothing of pyramid_hooks applies to it: no pipeline lines follow
    assert lines[hello + 1] == ''
    start = lines.index('Controllers (merged route options)')
    assert lines[start + 3 : start + 8] == [
        'phooks_plain_app.Base  (served by phooks_plain_app.Base (extended '
        'by First, Second))',
        '  activated: phooks_plain_app.First, phooks_plain_app.Second',
        '  /base  -> index  [phooks_plain_app.Base.index]',
        '    type=http auth=none methods=any csrf=yes '
        'decorator=phooks_plain_app.cache_for_a_while '
        "http_cache=[3600, {'public': True}]",
    ]
    status, out = run(
        capsys, os.path.join(FIXTURES, 'plain.ini'), '-f', 'json'
    )
    (base,) = json.loads(out)['controllers']['controllers']
    assert base['routes'][0]['view_options'] == {
        'decorator': 'phooks_plain_app.cache_for_a_while',
        'http_cache': [3600, {'public': True}],
    }


def test_widgets_related_to_their_route():
    introspector = full_registry().introspector
    for widget_id in ('picker', 'clock'):
        intr = introspector.get('pyramid_hooks widgets', widget_id)
        (route,) = introspector.related(intr)
        assert (route.category_name, route.discriminator) == (
            'routes',
            'pyramid_hooks.widgets',
        )


class Greeter:
    """A view that is an object: phooks names its class."""

    def __call__(self, request):
        return 'hi'  # pragma: no cover - never requested


def test_a_view_object_is_named_by_its_class():
    from pyramid.config import Configurator

    from pyramid_hooks.scripts.report import collect

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('hi', '/hi')
    config.add_view(Greeter(), route_name='hi', renderer='string')
    config.commit()
    (view,) = [
        v for v in collect(config.registry)['views'] if v['route_name'] == 'hi'
    ]
    assert view['view'] == 'tests.test_phooks.Greeter instance'


def test_integer_settings_are_shown_as_numbers(capsys, tmp_path):
    """``hooks.controllers.max_batch = 20`` was shown as ``builtins.int
    instance``, in the text and the JSON format alike."""
    ini = tmp_path / 'limits.ini'
    ini.write_text(
        '[app:main]\n'
        'use = call:phooks_minimal_app:main\n'
        'hooks.controllers.max_batch = 20\n'
        'hooks.controllers.max_body = 65536\n'
        'hooks.controllers.max_depth = 32\n'
    )
    report = run_json(capsys, str(ini))
    assert report['settings'] == {
        'hooks.controllers.max_batch': '20',
        'hooks.controllers.max_body': '65536',
        'hooks.controllers.max_depth': '32',
    }
    status, text = run(capsys, str(ini))
    assert status == 0
    assert 'hooks.controllers.max_batch = 20' in text
    assert 'instance' not in text


def test_a_validate_option_of_another_add_on_is_not_listed():
    """A schema given as ``validate=`` to another add-on's deriver
    (pyramid_marshmallow's) is not shown as a pyramid_hooks validator."""
    from pyramid.config import Configurator

    from pyramid_hooks.scripts.report import collect
    from tests.test_transparency import album, schema_setup

    config = Configurator()
    config.include('pyramid_hooks')
    schema_setup(config)
    config.add_route('own', '/own')
    config.add_view(album, route_name='own', validate=check_title)
    config.commit()
    views = {v['route_name']: v for v in collect(config.registry)['views']}
    assert views['album']['validate'] is None
    assert views['own']['validate'] == 'tests.test_phooks.check_title'


def check_title(request, params):
    return params  # pragma: no cover - never requested
