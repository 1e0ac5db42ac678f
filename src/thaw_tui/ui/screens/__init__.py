"""Screens of the reader, one per module; a screen's .tcss (if any) sits beside it."""
