"""Printable, self-contained HTML pages made from what a coach authored (charts embedded, text escaped)."""
