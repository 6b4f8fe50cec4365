"""Stage 4, educator practice: classroom practice against the cycle's practice map (Innovation
Configuration map), how it changed, who has access to it, and the coaching log."""
