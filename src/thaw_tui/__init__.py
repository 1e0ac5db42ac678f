"""thaw: a keyboard-driven terminal explainer for one news-analysis article."""

__version__ = "0.1.0"
