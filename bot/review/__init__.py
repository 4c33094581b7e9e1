"""The staff's review of conversations: a summary row per conversation kept by the
tracker store (summaries.py), read by the console's review pages."""
