"""Ports of published TurboGears, ToscaWidgets and Odoo code (issue 21)."""
