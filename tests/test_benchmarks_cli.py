"""``python -m benchmarks`` run with no option changes no tracked file: its
JSON and plot go to a directory git ignores unless ``--json``/``--plot``
name another place."""

import os

from benchmarks.__main__ import OUTPUT, parse_args

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_default_outputs_are_under_an_ignored_directory():
    args = parse_args([])
    with open(os.path.join(ROOT, '.gitignore')) as f:
        ignored = [line.strip().rstrip('/') for line in f]
    assert OUTPUT in ignored
    for path in (args.json, args.plot):
        assert os.path.dirname(path) == OUTPUT
    assert args.rst == ''


def test_the_documented_figures_are_written_only_when_named():
    args = parse_args(
        [
            '--json',
            'benchmarks/results/latest.json',
            '--plot',
            'docs/_static/benchmarks.png',
        ]
    )
    assert args.json == 'benchmarks/results/latest.json'
    assert args.plot == 'docs/_static/benchmarks.png'


def test_the_pyramid_only_benchmark_apps_still_build_and_answer():
    """The apps the scenarios measure (those needing nothing but Pyramid
    and the package) are built and answer as the scenarios check: a
    change of the package that breaks a benchmark fails here, not in a
    benchmark run."""
    from webtest import TestApp

    from benchmarks import apps

    built = [factory() for factory in apps.BY_NAME.values()]
    built.append(apps.full_stack_app(True))
    built.append(apps.partial_stack_app(('before_call',), lambda r: {}))
    for app in built:
        answer = TestApp(app).get('/data').json
        assert answer.items() >= apps.DOCUMENT.items()  # (+ 'hooked')
