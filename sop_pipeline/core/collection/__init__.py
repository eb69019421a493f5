"""Data collection: read the cycle's export drop, parse it by contract, validate it, split it
into rows to load and rows to quarantine."""
