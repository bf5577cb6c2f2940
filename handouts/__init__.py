"""Printable, localized patient handouts and discharge sheets."""

__version__ = "0.1.0"
