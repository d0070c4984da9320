"""Sphinx configuration for pyramid_hooks."""

import importlib.metadata
import os
import sys

sys.path.insert(0, os.path.abspath('..'))

project = 'pyramid_hooks'
author = 'pyramid_hooks developers'
copyright = '2026, pyramid_hooks developers'
try:
    release = importlib.metadata.version('pyramid_hooks')
except importlib.metadata.PackageNotFoundError:  # not installed
    release = '0.1.0.dev0'
version = release

extensions = [
    'sphinx.ext.autodoc',
    'sphinx.ext.intersphinx',
    'sphinx.ext.viewcode',
]
autodoc_member_order = 'bysource'
autodoc_default_options = {}
exclude_patterns = ['_build', '_inventories', 'examples']
html_theme = 'alabaster'
html_static_path = ['_static']

# Every cross-reference must resolve (``sphinx-build -n``): the CI build runs
# with -W, so an unresolved reference fails it.
nitpicky = True

# Pyramid and WebOb names link to their documentation.  The inventories are
# shipped in docs/_inventories/ (CI cannot download objects.inv); they were
# built from the API pages of the pyramid 2.1 and webob 1.8.11 sdists with
# Sphinx: docs/_inventories/README.txt says how to rebuild them.
_here = os.path.dirname(os.path.abspath(__file__))
intersphinx_mapping = {
    'pyramid': (
        'https://docs.pylonsproject.org/projects/pyramid/en/2.1-branch/',
        os.path.join(_here, '_inventories', 'pyramid.inv'),
    ),
    'webob': (
        'https://docs.pylonsproject.org/projects/webob/en/stable/',
        os.path.join(_here, '_inventories', 'webob.inv'),
    ),
}

nitpick_ignore_regex = [
    # The Python standard library: no inventory of Python's documentation can
    # be had offline (it is not on PyPI), so these render as plain names.
    # (Built-in names such as ValueError never warn.)
    (
        r'py:.*',
        r'(abc|collections|functools|gc|http\.client|inspect|json|logging|re'
        r'|threading|timeit|typing|venusian)(\..*)?',
    ),
    # The type variables of the annotations (``route() -> Callable[[_F],
    # _F]``): private names, with no documentation of their own.
    (r'py:class', r'pyramid_hooks\.[\w.]+\._[A-Z]'),
]
