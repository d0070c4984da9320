"""The helpers both sides share (pyramid_hooks.shared), the direction of
the imports, and the errors that teach: a dotted name that does not
resolve says which module was found and which attribute was not."""

import ast
import pathlib

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError

import pyramid_hooks
from pyramid_hooks.shared import resolve

PACKAGE = pathlib.Path(pyramid_hooks.__file__).parent
#: the features: each a sub-package with its own include
FEATURES = ('controllers', 'widgets', 'trace')


def _is_configuration(parts):
    """Whether the module of dotted-name *parts* (under the package) is
    configuration code: ``config`` packages and ``config`` modules, the
    core's (``pyramid_hooks.config``) and the features'
    (``pyramid_hooks.controllers.config``, ``pyramid_hooks.widgets.config``,
    ``pyramid_hooks.trace.config``)."""
    return 'config' in parts


def _parts(path):
    """The dotted-name parts of the module at *path*, under the package."""
    parts = path.relative_to(PACKAGE).with_suffix('').parts
    return parts[:-1] if parts[-1] == '__init__' else parts


#: run-time modules: every module of the package (sub-packages included)
#: but the include (``__init__.py``), configuration code and the scripts
RUNTIME = sorted(
    path
    for path in PACKAGE.rglob('*.py')
    if path != PACKAGE / '__init__.py'
    and not _is_configuration(_parts(path))
    and _parts(path)[0] != 'scripts'
)
#: the core: every module but the include, the features and the scripts
CORE = sorted(
    path
    for path in PACKAGE.rglob('*.py')
    if path != PACKAGE / '__init__.py'
    and _parts(path)[0] not in (*FEATURES, 'scripts')
)


def _configuration_name(name):
    """Whether the imported module *name* is configuration code."""
    parts = name.split('.')
    return parts[0] == 'pyramid_hooks' and _is_configuration(parts[1:])


def _feature_name(name):
    """Whether the imported module *name* is (in) a feature."""
    parts = name.split('.')
    return parts[0] == 'pyramid_hooks' and parts[1:2] in (
        [feature] for feature in FEATURES
    )


def _imported(path):
    """The modules *path* imports (``import x`` and ``from x import y``,
    at any depth of the module, functions included)."""
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def _name(path):
    return str(path.relative_to(PACKAGE))


@pytest.mark.parametrize('path', RUNTIME, ids=_name)
def test_runtime_modules_do_not_import_configuration_code(path):
    """Arrows run one way: configuration code imports run-time code,
    never the reverse (DESIGN.md, Layout)."""
    wrong = [name for name in _imported(path) if _configuration_name(name)]
    assert wrong == []


def _modules():
    """Every module of the package, by dotted name."""
    modules = {}
    for path in PACKAGE.rglob('*.py'):
        parts = path.relative_to(PACKAGE.parent).with_suffix('').parts
        if parts[-1] == '__init__':
            parts = parts[:-1]
        modules['.'.join(parts)] = path
    del modules['pyramid_hooks']  # the include imports everything
    return modules


def _reached(path, modules):
    """The package's modules *path* imports, those they import, and so on
    (not the package's include: ``pyramid_hooks/__init__.py``)."""
    reached, todo = set(), [path]
    while todo:
        tree = ast.parse(todo.pop().read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                # ``from pyramid_hooks.scripts import report``: a module
                names = [node.module]
                names += [f'{node.module}.{a.name}' for a in node.names]
            for name in names:
                if name in modules and name not in reached:
                    reached.add(name)
                    todo.append(modules[name])
    return reached


@pytest.mark.parametrize('path', RUNTIME, ids=_name)
def test_runtime_modules_reach_no_configuration_code(path):
    """Nor through what they import: the toolbar panel reads phooks' report,
    which reads the registry, never configuration code."""
    reached = _reached(path, _modules())
    assert sorted(filter(_configuration_name, reached)) == []


@pytest.mark.parametrize('path', CORE, ids=_name)
def test_the_core_imports_no_feature(path):
    """Features import the core, never the reverse (DESIGN.md, Layout):
    not directly, nor through what the core imports."""
    assert [name for name in _imported(path) if _feature_name(name)] == []
    assert sorted(filter(_feature_name, _reached(path, _modules()))) == []


def test_the_layers_are_found():
    """The rules' tests see what they look for."""
    core = {_name(path) for path in CORE}
    assert {'hooks.py', 'pipeline.py', 'probes.py', 'settings.py'} <= core
    assert {'config/core.py', 'config/hook_directives.py'} <= core
    assert not any(name.startswith(FEATURES) for name in core)
    runtime = {_name(path) for path in RUNTIME}
    assert {'controllers/jsonrpc.py', 'widgets/views.py'} <= runtime
    assert {'trace/__init__.py', 'controllers/__init__.py'} <= runtime
    assert not any('config' in name for name in runtime)
    assert _configuration_name('pyramid_hooks.controllers.config.urls')
    assert _configuration_name('pyramid_hooks.trace.config')
    assert not _configuration_name('pyramid_hooks.controllers.views')
    assert _feature_name('pyramid_hooks.widgets.views')
    assert not _feature_name('pyramid_hooks.wrappers')


def test_runtime_modules_are_found():
    names = {path.name for path in RUNTIME}
    assert {'hooks.py', 'pipeline.py', 'shared.py', 'wrappers.py'} <= names


def test_the_shared_module_imports_no_other_side():
    """Both sides import it; it imports neither (only the interfaces)."""
    own = [
        name
        for name in _imported(PACKAGE / 'shared.py')
        if name.startswith('pyramid_hooks')
    ]
    assert own == ['pyramid_hooks.interfaces']


# -- dotted names that do not resolve ----------------------------------


def _register_error(listener):
    """The message of ``register_hook('before_render', listener)``."""
    config = Configurator(settings={})
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as e:
        config.register_hook('before_render', listener)
    return str(e.value)


def test_a_missing_attribute_of_a_found_module_says_so():
    message = _register_error('tests.listeners.record_cal')
    assert "cannot import 'tests.listeners.record_cal'" in message
    assert (
        "the module 'tests.listeners' was found but has no attribute "
        "'record_cal'; did you mean 'record_call'?"
    ) in message
    assert 'is not a package' not in message
    assert 'test_shared.py' in message  # where it was registered


def test_a_missing_attribute_in_a_setting():
    config = Configurator(
        settings={'hooks.on.before_render': 'tests.listeners.fill_render_dat'}
    )
    with pytest.raises(ConfigurationError) as e:
        config.include('pyramid_hooks')
    message = str(e.value)
    assert message.startswith('hooks.on.before_render: cannot import')
    assert (
        "the module 'tests.listeners' was found but has no attribute "
        "'fill_render_dat'"
    ) in message
    assert 'did you mean' not in message  # nothing close


def test_a_colon_name_with_a_missing_attribute():
    message = _register_error('tests.listeners:record_cal')
    assert (
        "the module 'tests.listeners' was found but has no attribute "
        "'record_cal'"
    ) in message


def test_a_missing_attribute_of_a_class():
    message = _register_error('tests.test_shared.Holder.listner')
    assert (
        "'tests.test_shared.Holder' was found but has no attribute "
        "'listner'; did you mean 'listener'?"
    ) in message
    assert 'the module' not in message


def test_a_relative_name_is_explained_against_the_package():
    config = Configurator(package='tests', settings={})
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as e:
        config.add_controller_wrapper('.listeners.wraper')
    assert (
        "the module 'tests.listeners' was found but has no attribute "
        "'wraper'; did you mean 'wrapper'?"
    ) in str(e.value)


def test_a_module_whose_own_import_fails_says_so():
    message = _register_error('tests.broken_import_fixture.listener')
    assert (
        "the module 'tests.broken_import_fixture' exists but importing it "
        'failed'
    ) in message
    assert 'pyramid_hooks_no_such_dependency' in message


def test_a_missing_package_keeps_pythons_message():
    message = _register_error('no_such_package_here.listeners.listener')
    assert "No module named 'no_such_package_here'" in message


def test_a_bare_builtin_name_suggests_its_full_name():
    config = Configurator(
        settings={'hooks.widgets.authorization': 'always_allow'}
    )
    with pytest.raises(ConfigurationError) as e:
        config.include('pyramid_hooks')
    message = str(e.value)
    assert message.startswith(
        "hooks.widgets.authorization: cannot import 'always_allow'"
    )
    assert "did you mean 'pyramid_hooks.widgets.always_allow'?" in message
    assert "No module named 'always_allow'" not in message


def test_a_bare_name_without_a_builtin():
    message = _register_error('fill_render_data')
    assert (
        "no module is called 'fill_render_data': a dotted name starts with "
        'its module (package.module.fill_render_data)'
    ) in message
    assert 'did you mean' not in message


@pytest.mark.parametrize('name', ['', '   '])
@pytest.mark.parametrize(
    'directive',
    ['add_application_wrapper', 'add_controller_wrapper', 'add_widget'],
)
def test_an_empty_dotted_name_is_refused_naming_the_directive(directive, name):
    """Pyramid's resolver fails on an empty name with an ``IndexError``
    that names nothing."""
    config = Configurator(settings={})
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as e:
        getattr(config, directive)(name)
    assert str(e.value).startswith(f'{directive} at {__file__}:')
    assert str(e.value).endswith(
        f'{name!r} is an empty dotted name; give the object or its dotted '
        'name (package.module.name)'
    )


def test_an_empty_listener_name_is_refused():
    assert _register_error('').endswith(
        "'' is an empty dotted name; give "
        'the object or its dotted name (package.module.name)'
    )


def test_a_relative_name_without_a_package_keeps_pyramids_message():
    with pytest.raises(ConfigurationError) as e:
        resolve('.listeners', 'hooks.on.x')
    assert str(e.value) == (
        "hooks.on.x: cannot import '.listeners': relative name "
        "'.listeners' irresolveable without package"
    )


def test_objects_pass_through():
    assert resolve(print, 'k') is print


class Holder:
    @staticmethod
    def listener(request, params, output):  # pragma: no cover - not run
        pass
