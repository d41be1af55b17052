"""ptb.table."""
