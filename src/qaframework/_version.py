"""The release of qaframework, kept apart so that any layer can name it without the facade."""

__version__ = "0.1.0.dev0"
