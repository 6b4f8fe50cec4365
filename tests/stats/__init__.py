"""Tests of the evidence engine (kit.analysis.stats) and the run chart."""
