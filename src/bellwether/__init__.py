"""Bellwether: a leadership engagement programme for AI transformation, self-hosted."""

__version__ = "0.1.0"
