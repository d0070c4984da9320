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
    'sphinx.ext.viewcode',
]
autodoc_member_order = 'bysource'
autodoc_default_options = {'members': True}
exclude_patterns = ['_build']
html_theme = 'alabaster'
html_static_path = ['_static']
nitpicky = False
