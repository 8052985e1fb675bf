"""The subcommands of `nieuwslezer`, one module each; `reader.cli` parses and dispatches.

Each module is imported only when its command runs, and imports what that command needs:
start-up of the reader must not pay for the feed fetching (requests, feedparser), the store
(sqlite3) or the translation libraries. `common` holds what they share; it imports no command.
"""
