"""Text -> spans: the numbers and the attributed sources of a paragraph (pure Python)."""
