"""ptb.xcheck."""
