"""The coaching notebook kit: data, analysis, charts and apps for a professional-learning cycle."""

__version__ = "0.1.0"
