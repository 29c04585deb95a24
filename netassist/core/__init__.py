"""Qt-free core: storage, identity resolution, ingest, engine, reminders, reports."""
