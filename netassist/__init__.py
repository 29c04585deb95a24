"""netassist: a local-first personal networking assistant."""

__version__ = "0.1.0"
