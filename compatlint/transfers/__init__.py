"""Transfer objects (`*.transfer.xml`): loaded and merged as Spryker's `transfer:generate` does, diffed into
typed events (`events.py`) for the CL7xx rules, and attached to a schema comparison (`check.py`).

V1 Yves/Glue and V2 Zed exchange transfers as JSON during a rolling deploy, and V2 publishers write
transfers as JSON into Storage/Search `data` columns that V1 reads (see `rules/transfer_*.py`).
"""
