"""Stage 2's analysis, one module per step: the standards self-assessment, the learning plan and its
alignment, and participation with equity of access."""
