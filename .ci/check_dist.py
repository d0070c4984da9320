"""Check what ``python -m build`` made (``python .ci/check_dist.py DIR``):
the wheel holds the library only (no demo package, no ``paste.app_factory``
entry point), and the sdist has what the tests and the docs need."""

import sys
import tarfile
import zipfile
from pathlib import Path

dist = Path(sys.argv[1])
(wheel,) = dist.glob('pyramid_hooks-*.whl')
(sdist,) = dist.glob('pyramid_hooks-*.tar.gz')
problems = []

with zipfile.ZipFile(wheel) as zf:
    names = zf.namelist()
    tops = {name.split('/', 1)[0] for name in names}
    entry_points = next(n for n in names if n.endswith('entry_points.txt'))
    entry_points = zf.read(entry_points).decode()
extra = {t for t in tops if t != 'pyramid_hooks'}
extra -= {t for t in tops if t.endswith('.dist-info')}
if extra:
    problems.append(f'{wheel.name} holds more than pyramid_hooks: {extra}')
if 'pyramid_hooks/trace/hooks_panel.dbtmako' not in names:
    problems.append(f"{wheel.name} lacks the trace panel's template")
for needed in ('pyramid_hooks/py.typed',):
    if needed not in names:
        problems.append(f'{wheel.name} lacks {needed}')
if not any(n.endswith('.dist-info/licenses/LICENSE') for n in names):
    problems.append(f'{wheel.name} lacks the LICENSE file')
if 'paste.app_factory' in entry_points:
    problems.append(f'{wheel.name} registers an app: {entry_points}')

with tarfile.open(sdist) as tf:
    members = {name.split('/', 1)[-1] for name in tf.getnames()}
for needed in (
    'README.rst',
    'CHANGES.rst',
    'LICENSE',
    'pyramid_hooks/py.typed',
    'tox.ini',
    'docs/conf.py',
    'docs/index.rst',
    'tests/conftest.py',
    'tests/typing/public_api_usage.py',  # tests/test_typing.py
    'demo/pyproject.toml',
    'demo/development.ini',
    'demo/pyramid_hooks_demo/__init__.py',
    'pyramid_hooks/__init__.py',
):
    if needed not in members:
        problems.append(f'{sdist.name} lacks {needed}')
unwanted = sorted(
    m
    for m in members
    if '__pycache__' in m or (m.startswith('demo/') and '.egg-info' in m)
)
if unwanted:
    problems.append(f'{sdist.name} holds build leftovers: {unwanted[:5]}')

for problem in problems:
    print('dist:', problem)
if problems:
    sys.exit(1)
print(
    f'dist: {wheel.name} holds pyramid_hooks only, its types and the '
    f'LICENSE; {sdist.name} has the LICENSE, docs, tests and demo'
)
