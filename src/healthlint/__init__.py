"""healthlint: a lint checker for health content."""

__version__ = "0.1.0"
