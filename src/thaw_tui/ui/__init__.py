"""The Textual reader. Import `thaw_tui.ui.app.ThawApp`; nothing here runs at import."""
