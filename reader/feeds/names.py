"""The names feeds show as, from what the store knows: one helper for the reader, `export`,
`feeds list` and `refresh`, so that each names a feed as the others do.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.feeds.store import FeedStore
from reader.feeds.subscriptions import Subscription, feed_names


def store_feed_names(subscriptions: Sequence[Subscription], store: FeedStore) -> dict[str, str]:
    """Each feed's name by address, unique (subscriptions.feed_names): every feed subscribed
    to, and every feed the store holds articles of, subscribed to or not, so that a feed
    removed while its articles are kept is still told apart from one of the same title.
    StoreError if the store cannot be read."""
    return feed_names(subscriptions, store.channel_titles(), store.feed_counts())
