"""Screens of the reader, one per module, each with its .tcss beside it."""
