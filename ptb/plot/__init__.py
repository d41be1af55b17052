"""ptb.plot."""
