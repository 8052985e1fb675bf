"""RSS/Atom feeds: subscriptions, fetching, conversion to the article model, and the store.

Data flows: subscriptions -> fetch (HTTP, conditional GET) -> parse (feedparser, HTML to
paragraphs) -> store (SQLite, keyed by GUID) -> Articles for the reader and export.

- items.py          FeedItem (a parsed entry) and the Article it reads as
- subscriptions.py  Subscription, presets, feeds.toml in the config folder, OPML in and out;
                    feed_names: the unique name each feed shows as
- settings.py       the [feeds] table of config.toml: retention, refresh on start, time-out
- html_text.py      feed HTML -> paragraphs and subheadings; entities decoded to what was meant
- parse.py          a fetched document -> ParsedFeed (channel title, FeedItems) or a problem
- expansion.py      refuses a document whose DTD would make it grow when parsed (entities)
- fetch.py          HTTP with timeouts, User-Agent, redirects, ETag/Last-Modified, Retry-After;
                    in parallel; one deadline for a whole fetch and no redirect from a public
                    address to a local one (reader/connections.py, shared with translation)
- store.py          FeedStore: SQLite in the data folder, retention, items by feed address
- schema.py         the store's schema, its migrations, and opening a file safely
- names.py          store_feed_names: each feed's unique name from what the store knows
- refresh.py        fetch + parse + store for every subscription, one outcome per feed

None of these import Textual; the UI calls them from workers.
"""
