"""One module per command: each turns parsed options into library calls and output."""
