"""Continuous ingestion: folders, feeds, sitemaps and pages polled into the store, with alerts."""
