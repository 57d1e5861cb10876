"""Imports and exports with progress (Celery tasks): all attachments of a message as a zip, a
folder (or a search in it) as mbox or as a zip of .eml files, .eml files or an mbox into a
folder. `store.py` keeps the `Transfer` rows and files, `export.py` and `importing.py` do the work."""
