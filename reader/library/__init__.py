"""What the user builds while reading: read state, stars, first-seen times, runs and the
session (library.sqlite, state.py), and the search index over everything (search.sqlite).

Both SQLite files live in the data folder beside the feed store. Items are known by stable
string keys (keys.py): "feed:<guid>", "page:<real path, storable>:<hash of its text>",
"ticker:<hash of place and text>".

Nothing is imported here, so that `import reader.library.keys` stays cheap.
"""
