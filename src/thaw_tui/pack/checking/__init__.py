"""Helpers for the content loader: YAML nodes with positions, checks, suggestions."""
