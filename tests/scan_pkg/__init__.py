"""A package scanned by the decorator tests."""
