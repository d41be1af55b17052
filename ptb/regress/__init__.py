"""ptb.regress."""
