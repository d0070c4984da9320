"""Print what pyramid_hooks composed for a Pyramid application: hook
namespaces, hooks and their listeners (with where each was registered),
the application wrapper chain in runtime order, the controller wrappers
and pipeline hooks of each view, the mounted widget callbacks with their
URLs and authorization, and the controller routes with their merged
options.

This command accepts one positional argument named "config_uri" which
specifies the PasteDeploy config file to use.  The format is
"inifile#name".  If the name is left off, "main" will be assumed.
Example: "phooks development.ini" or "phooks development.ini --format
json".
"""

import argparse
import json
import sys

from pyramid.paster import bootstrap, setup_logging

from pyramid_hooks.hook_specs import PIPELINE_HOOKS
from pyramid_hooks.probes import printable
from pyramid_hooks.scripts.report import collect, shown_where

_HELP = __doc__  # phooks --help prints the module's docstring


def parse_vars(args):
    """``{'a': 'b'}`` for ``['a=b']``, as ``ptweens`` reads its config
    variables (``pyramid.scripts.common.parse_vars`` is not an API)."""
    for arg in args:
        if '=' not in arg:
            raise ValueError(f'Variable assignment {arg!r} invalid (no "=")')
    return dict(arg.split('=', 1) for arg in args)


def main(argv=sys.argv, quiet=False):
    """Entry point of the ``phooks`` console script."""
    return PHooksCommand(argv, quiet).run()


class PHooksCommand:
    """The ``phooks`` command, shaped like Pyramid's ``ptweens``."""

    script_name = 'phooks'
    parser = argparse.ArgumentParser(
        prog='phooks',
        description=_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        'config_uri', nargs='?', help='The URI to the configuration file.'
    )
    parser.add_argument(
        'config_vars',
        nargs='*',
        help='Variables required by the config file. For example, '
        '`http_port=%%(http_port)s` would expect `http_port=8080` to be '
        'passed here.',
    )
    parser.add_argument(
        '-f',
        '--format',
        choices=('text', 'json'),
        default='text',
        help='Output format: "text" (default, for people) or "json" (for '
        'tools; the shape is documented and versioned).',
    )

    bootstrap = staticmethod(bootstrap)  # testing
    setup_logging = staticmethod(setup_logging)  # testing

    def __init__(self, argv, quiet=False):
        self.quiet = quiet
        self.args = self.parser.parse_args(argv[1:])

    def out(self, msg):
        """Print *msg* (nothing when *quiet*)."""
        if not self.quiet:
            print(msg)

    def run(self):
        """Load the application and print its report; the exit status."""
        if not self.args.config_uri:
            self.out('Requires a config file argument')
            return 2
        config_uri = self.args.config_uri
        config_vars = parse_vars(self.args.config_vars)
        config_vars.setdefault('__script__', self.script_name)
        self.setup_logging(config_uri, global_conf=config_vars)
        env = self.bootstrap(config_uri, options=config_vars)
        try:
            report = collect(env['registry'])
        finally:
            env['closer']()
        if report is None:
            self.out(
                f'pyramid_hooks is not included in the application of '
                f'{config_uri} (config.include("pyramid_hooks") or '
                '"pyramid.includes = pyramid_hooks")'
            )
            return 1
        if self.args.format == 'json':
            self.out(json.dumps(report, indent=2))
        else:
            self.out('\n'.join(render_text(report)))
        return 0


#: The flags of a declared hook, by report key, in the order printed.
_HOOK_FLAGS = {
    'value': 'filter',
    'trap_exceptions': 'trap_exceptions',
    'builtin': 'built-in',
}
#: The scopes of a listener or controller wrapper that have no target.
_SCOPE_LABELS = {'app': 'app-wide', 'option': 'controller_wrappers= option'}


def _where(item):
    at = item.get('registered_at')
    return f'  [{shown_where(at)}]' if at else ''


def _scoped(item, what):
    """A listener or controller wrapper (*what*) and where it applies."""
    scope = item['scope']
    label = _SCOPE_LABELS.get(scope, f'{scope} {item["target"]}')
    return f'{item[what]}  ({label}){_where(item)}'


def _hook(hook):
    if hook['declared']:
        flags = [f'scope={hook["scope"]}']
        flags += [flag for key, flag in _HOOK_FLAGS.items() if hook[key]]
        args = ['value', *hook['args']] if hook['value'] else hook['args']
        head = f'{hook["name"]}({", ".join(args)})  {" ".join(flags)}'
    else:
        hint = hook['did_you_mean']
        hint = f'; did you mean {hint!r}?' if hint else ''
        head = f'{hook["name"]}  (not declared{hint})'
    lines = [f'  {head}{_where(hook)}']
    for i, listener in enumerate(hook['listeners'], 1):
        lines.append(f'    {i}. {_scoped(listener, "listener")}')
    return lines if hook['listeners'] else [*lines, '    (no listeners)']


def _namespaces(report):
    lines = []
    for ns in report['namespaces']:
        strict = 'strict' if ns['strict'] else 'non-strict'
        lines.append(f'{ns["name"] or "(default)"}  [{strict}]{_where(ns)}')
        shown = [h for h in ns['hooks'] if h['listeners'] or not h['builtin']]
        lines += [line for hook in shown for line in _hook(hook)]
        if hidden := len(ns['hooks']) - len(shown):
            lines.append(
                f'  ({hidden} built-in hooks without listeners not shown)'
            )
    return lines


def _pipeline(item, indent):
    """What pyramid_hooks adds to a view or widget callback."""
    wrappers = item['controller_wrappers']
    lines = [f'{indent}  {_scoped(w, "wrapper")}' for w in wrappers]
    if lines:
        lines.insert(0, f'{indent}controller wrappers (outermost first):')
    named = {option: item[option] for option in ('validate', 'error_handler')}
    for hook in PIPELINE_HOOKS:
        named[hook] = ', '.join(e['listener'] for e in item['hooks'][hook])
    return lines + [
        f'{indent}{key}: {text}' for key, text in named.items() if text
    ]


def _views(report):
    lines = []
    if not report['introspection']:
        lines.append(
            '(introspection is off: views found through the registry; '
            'view options such as validate= are not known)'
        )
    for view in report['views']:
        where = {
            'route_name': f'route {view["route_name"]}',
            'name': f'name {view["name"]!r}',
            'context': f'context {view["context"]}',
            'exception_view': '(exception view)',
            'request_methods': ','.join(view['request_methods'] or ()),
        }
        where = ' '.join(text for key, text in where.items() if view[key])
        attr = f'.{view["attr"]}' if view['attr'] else ''
        lines.append(f'{where or "(any)"}  ->  {view["view"]}{attr}')
        lines += _pipeline(view, '  ') or ['  (nothing from pyramid_hooks)']
    return lines if report['views'] else [*lines, '(no views)']


def _application_wrappers(report):
    section = report['application_wrappers']
    tween, tweens = section['tween'], section['tweens']
    if tween in tweens:
        lines = [
            f'inside the tween {tween} ({tweens.index(tween) + 1} of '
            f'{len(tweens)} in the tween chain, outermost first; see ptweens)'
        ]
    else:
        lines = [f'the tween {tween} is not in the tween chain']
    for i, wrapper in enumerate(section['chain'], 1):
        after = wrapper['after']
        where = 'default' if after is None else f'after={after}'
        if wrapper['injected'] is False:
            where += ', not injected'
        name = wrapper['name']
        if name != wrapper['wrapper']:
            name = f'{name} = {wrapper["wrapper"]}'
        lines.append(f'{i}. {name}  ({where}){_where(wrapper)}')
    return lines if section['chain'] else [*lines, '(none)']


def _widgets(report):
    section = report['widgets']
    lines = [
        f'prefix {section["prefix"]}, global authorization '
        f'{section["authorization"]}'
    ]
    for widget in section['widgets']:
        own = widget['authorization']
        own = f'  authorization {own}' if own else ''
        lines.append(f'{widget["id"]}  ({widget["widget"]}){own}')
        for callback in widget['callbacks']:
            facts = [','.join(callback['request_methods'] or ['any method'])]
            if callback['permission']:
                facts.append(f'permission {callback["permission"]}')
            if not callback['require_csrf']:
                facts.append('no CSRF check')
            if callback['renderer']:
                facts.append(f'renderer {callback["renderer"]}')
            facts.append(
                f'authorization {callback["authorization"]} '
                f'({callback["authorization_source"]})'
            )
            lines.append(f'  {callback["url"]}  {"; ".join(facts)}')
            lines += _pipeline(callback, '    ')
    return lines if section['widgets'] else [*lines, '(no widgets)']


def _controllers(report):
    section = report['controllers']
    if not section['controllers']:
        return ['(no controllers)']
    lines = [f'auth modes: {", ".join(section["auth_modes"])}']
    for controller in section['controllers']:
        lines.append('{name}  (served by {serving})'.format_map(controller))
        if controller['classes'] != [controller['serving']]:
            lines.append(f'  activated: {", ".join(controller["classes"])}')
        for route in controller['routes']:
            csrf = 'yes' if route['csrf'] else 'no'
            if route['type'] == 'json':
                csrf = 'exempt (JSON)'
            facts = [
                f'type={route["type"]}',
                f'auth={route["auth"]}',
                f'methods={(route["allow"] or "any").replace(" ", "")}',
                f'csrf={csrf}',
            ]
            if route['cors']:
                facts.append(f'cors={route["cors"]}')
            facts += [f'{k}={v}' for k, v in route['view_options'].items()]
            lines.append(
                '  {pattern}  -> {handler}  [{route_name}]'.format_map(route)
            )
            lines.append(f'    {" ".join(facts)}')
        for skipped in controller['skipped']:
            lines.append(
                '  not served: {handler} ({reason})'.format_map(skipped)
            )
    return lines


def _settings(report):
    lines = [f'{key} = {value}' for key, value in report['settings'].items()]
    return lines or ['(none: defaults apply)']


#: The sections of the text format: title, and the lines under it.
_SECTIONS = (
    ('Settings (hooks.*)', _settings),
    ('Hook namespaces, hooks and listeners', _namespaces),
    ('Application wrappers (outermost first)', _application_wrappers),
    ('Views: controller wrappers and pipeline hooks', _views),
    ('Widget callbacks', _widgets),
    ('Controllers (merged route options)', _controllers),
)


def render_text(report):
    """The lines of the text format of *report* (from :func:`collect`), each
    :func:`~pyramid_hooks.probes.printable` (no name drives the terminal)."""
    lines = []
    for title, body in _SECTIONS:
        lines += ['', title, '=' * len(title), *body(report)]
    return [printable(line) for line in lines[1:]]


if __name__ == '__main__':  # pragma: no cover
    sys.exit(main() or 0)
