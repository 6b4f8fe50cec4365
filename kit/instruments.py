"""Facts about the instruments the kit reads (figures only; no questionnaire wording is shipped)."""

# Stages of Concern questionnaire item key (Hall, George & Rutherford 1977): stage -> its five items.
CONCERNS_STAGES = {
    0: ("Unconcerned", (3, 12, 21, 23, 30)),
    1: ("Informational", (6, 14, 15, 26, 35)),
    2: ("Personal", (7, 13, 17, 28, 33)),
    3: ("Management", (4, 8, 16, 25, 34)),
    4: ("Consequence", (1, 11, 19, 24, 32)),
    5: ("Collaboration", (5, 10, 18, 27, 29)),
    6: ("Refocusing", (2, 9, 20, 22, 31)),
}
CONCERNS_ITEM_COUNT = 35
CONCERNS_ITEM_MAX = 7


def concerns_stage_of_item() -> dict[int, int]:
    """Item number (1-35) -> the stage it belongs to."""
    return {item: stage for stage, (_, items) in CONCERNS_STAGES.items() for item in items}


# Levels of Use of an innovation (Hall & Hord), lowest to highest.
LEVELS_OF_USE = (("0", "Non-use"), ("I", "Orientation"), ("II", "Preparation"), ("III", "Mechanical"),
                 ("IVA", "Routine"), ("IVB", "Refinement"), ("V", "Integration"), ("VI", "Renewal"))
