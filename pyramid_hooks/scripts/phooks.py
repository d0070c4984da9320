"""``phooks``: show what ``pyramid_hooks`` composed for an application.

Shaped like Pyramid's own ``ptweens``: ``phooks CONFIG_URI [vars]`` loads
the application the ini file describes (``pyramid.paster.bootstrap``) and
prints, from its registry, the hook namespaces, hooks and listeners, the
application wrapper chain, the controller wrappers and pipeline hooks of
every view, the mounted widget callbacks and the controller routes.

Everything is read from the registry utilities that the add-on fills, so
the command works with ``Configurator(introspection=False)``; the
introspector, when there is one, adds where each registration was made and
the options of each view.  ``--format json`` prints the same data as one
JSON document whose shape is documented in ``docs/phooks.rst`` and versioned
by its ``phooks_format`` member.
"""

import argparse
import json
import sys
import textwrap

from pyramid.paster import bootstrap, setup_logging
from pyramid.scripts.common import parse_vars

from pyramid_hooks.scripts.report import collect, render_text


def main(argv=sys.argv, quiet=False):
    """Entry point of the ``phooks`` console script."""
    command = PHooksCommand(argv, quiet)
    return command.run()


class PHooksCommand:
    """The ``phooks`` command (argument parsing, loading, output)."""

    description = """\
    Print what pyramid_hooks composed for a Pyramid application: hook
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
    script_name = 'phooks'
    parser = argparse.ArgumentParser(
        prog='phooks',
        description=textwrap.dedent(description),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        'config_uri',
        nargs='?',
        default=None,
        help='The URI to the configuration file.',
    )
    parser.add_argument(
        'config_vars',
        nargs='*',
        default=(),
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
        """Write one line (nothing when *quiet*)."""
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
            for line in render_text(report):
                self.out(line)
        return 0


if __name__ == '__main__':  # pragma: no cover
    sys.exit(main() or 0)
