"""What citizens asked, read back from the conversation store, for the
department's staff: the report (`python -m bot report`, /admin/report) and
the unanswered questions to label (`python -m bot export-missed`)."""
