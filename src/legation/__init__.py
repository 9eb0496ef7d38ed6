"""Legation: news pages in, a source-attributed record of the international security system out."""

from __future__ import annotations

__version__ = "0.1.0"
