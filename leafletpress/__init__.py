"""Leaflet Press: printable, multilingual patient leaflets from data and gettext catalogs."""

__version__ = "0.1.0"
