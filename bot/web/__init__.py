"""The project's web app (port 8080): the demo regional page with the chat widget, the
privacy page, the widget's static files. Later: the staff console (counsellor handoff)."""
