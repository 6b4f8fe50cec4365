"""Privacy settings shared by every view: the smallest group of students a result may describe."""

#: FERPA practice: no reported cell may describe fewer than this many students (DESIGN.md section 5).
DEFAULT_MIN_GROUP_SIZE = 10


def describe_suppressed(min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> str:
    """The words shown in place of a withheld value."""
    return f"fewer than {min_group_size} students"
