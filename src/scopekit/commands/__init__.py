"""One module per command: each turns parsed options into library calls and output.

Errors and problems are printed by commands/output.py, the same way for every command.
"""
