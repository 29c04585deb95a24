"""Qt item models over ids with lazy row caches (each checked with QAbstractItemModelTester)."""
