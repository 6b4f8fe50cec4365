"""Stage 1's charts drawn from small frames (no app)."""

import pandas as pd
from matplotlib.collections import PolyCollection

from kit.stages.s1_student_needs.charts import proficiency_heatmap


def hatched_cells(ax) -> list[tuple[float, float]]:
    """The (group column, school row) of every hatched grey cell of a heat map."""
    return [tuple(path.vertices.min(axis=0)) for collection in ax.collections
            if isinstance(collection, PolyCollection) and collection.get_hatch() == "///"
            for path in collection.get_paths()]


def test_every_withheld_heat_map_cell_is_hatched_grey_and_no_shown_cell_is():
    cells = pd.DataFrame({"school_id": ["A", "A", "B", "B", "C", "C"], "group_column": "english_learner",
                          "group": ["no", "yes"] * 3, "n": [40, 4, 50, 30, 8, 44],
                          "share_proficient": [0.7, None, 0.8, 0.6, None, 0.5],
                          "suppressed": [False, True, False, False, True, False], "note": ""})
    ax = proficiency_heatmap(cells)
    assert set(hatched_cells(ax)) == {(1.0, 0.0), (0.0, 2.0)}  # A/yes and C/no
    assert [text.get_text() for text in ax.texts if "%" in text.get_text()] == ["70%", "80%", "60%", "50%"]
    assert "Hatched grey cells are withheld" in " ".join(text.get_text() for text in ax.texts)
