"""English beside the Dutch: backends, language detection, cache and the service that joins them.

Plain Python, no Textual. deep-translator and langdetect are imported on first use only: together
they cost about 0.3 s of start-up, which a reader who never translates should not pay.
"""
