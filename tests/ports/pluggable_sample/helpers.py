"""The sample pluggable's helpers."""


def shout(text):
    return text.upper()
