"""How ages and dates read in the interface: compact in lists, a phrase in the reading pane."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from reader.model import Age, Article
from reader.present import age_since, dating_note, long_age, short_age

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("minutes", "short", "long"),
    [
        (1, "1m", "1 minute ago"),
        (21, "21m", "21 minutes ago"),
        (90, "1h", "90 minutes ago"),
        (180, "3h", "3 hours ago"),
        (135, "2h", "2 hours ago"),
        (1440, "1d", "1 day ago"),
        (3 * 1440 + 7, "3d", "3 days ago"),
        (14 * 1440, "14d", "2 weeks ago"),
        (1067140, "105w", "741 days ago"),  # a feed article from two years back
    ],
)
def test_ages_read_compactly_in_lists_and_as_a_phrase_in_full(
    minutes: int, short: str, long: str
) -> None:
    age = Age("", minutes)
    assert (short_age(age), long_age(age)) == (short, long)
    assert len(short_age(age)) <= 4  # the list's age column


def test_a_clock_time_and_an_unknown_age_read_as_such() -> None:
    assert (short_age(Age("14:05", None)), long_age(Age("14:05", None))) == ("14:05", "at 14:05")
    assert (short_age(None), long_age(None)) == ("?", "age unknown")


def test_a_feed_article_age_counts_from_its_publication() -> None:
    age = age_since(NOW - timedelta(hours=5, minutes=3), NOW)
    assert age is not None and age.minutes == 303
    assert short_age(age) == "5h"
    assert age_since(None, NOW) is None
    assert age_since(NOW + timedelta(minutes=5), NOW).minutes == 0  # a clock ahead: "0m"


def test_a_date_the_feed_gave_in_the_future_or_none_is_said_beside_the_one_used() -> None:
    fetched = datetime(2026, 12, 6, 9, 2, tzinfo=UTC)
    ahead = Article("Uit de toekomst", "f", 0, (), published=fetched, fetched=fetched,
                    dated_ahead=fetched + timedelta(days=2))  # fmt: skip
    undated = Article("Zonder datum", "f", 0, (), fetched=fetched)
    dated = Article("Gewoon", "f", 0, (), published=fetched, fetched=fetched)
    assert "in the future, so it counts from when it was fetched" in dating_note(ahead)
    assert "08 Dec 2026" in dating_note(ahead)
    assert dating_note(undated).startswith("; fetched ")
    assert dating_note(dated) == ""
