"""scopekit: build, check and publish rapid scoping review briefings."""

__version__ = "0.1.0"
