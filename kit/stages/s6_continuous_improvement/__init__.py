"""Stage 6: continuous improvement. Run charts of the cycle's key measures, the review of each goal
against the evidence, the decision, the next cycle carried forward, and the cycle report."""
