"""Sign-in, sessions, passwords and who may do what (access.py); blueprint.py: the pages."""
