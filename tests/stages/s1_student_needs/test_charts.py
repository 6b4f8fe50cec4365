"""Stage 1's charts drawn from small frames (no app)."""

import pandas as pd
from matplotlib.collections import PolyCollection

from kit.stages.s1_student_needs.charts import proficiency_heatmap


def test_every_withheld_heat_map_cell_is_hatched_grey_and_no_shown_cell_is():
    cells = pd.DataFrame({"school_id": ["A", "A", "B", "B", "C", "C"], "group_column": "english_learner",
                          "group": ["no", "yes"] * 3, "n": [40, 4, 50, 30, 8, 44],
                          "share_proficient": [0.7, None, 0.8, 0.6, None, 0.5],
                          "suppressed": [False, True, False, False, True, False], "note": ""})
    ax = proficiency_heatmap(cells)
    hatched = [c for c in ax.collections if isinstance(c, PolyCollection) and c.get_hatch() == "///"]
    assert len(hatched) == 1
    corners = {tuple(path.vertices.min(axis=0)) for path in hatched[0].get_paths()}
    assert corners == {(1.0, 0.0), (0.0, 2.0)}  # (group column, school row) of A/yes and C/no
    assert sum(text.get_text() == "withheld" for text in ax.texts) == 2
