"""One module per bad decorator use, scanned by ``tests/test_bad_config.py``
(each must stop the application at startup with a ConfigurationError)."""
