"""What a coach says about a file is kept by file name and header set, said back in plain words."""

from kit.io.mapping import FileMapping, Mappings, header_signature
from kit.io.wide import WideLayout

HEADERS = ["Student ID", "School", "Free Lunch", "Birth Year"]


def test_a_mapping_is_found_by_name_and_headers_then_by_headers_alone():
    mappings = Mappings().changed("Students 2024.csv", HEADERS, table="students")
    assert mappings.find("Students 2024.csv", reversed(HEADERS)).table == "students"
    assert mappings.find("students.csv", HEADERS).table == "students"  # a kept upload is renamed
    assert mappings.find("Students 2024.csv", HEADERS + ["Grade"]) is None


def test_every_part_is_said_in_plain_words():
    layout = WideLayout(("Student ID",), ("Math K", "Math 1", "Math 2"))
    mapping = FileMapping("scores.csv", "", table="assessments", columns={"Grade": "window", "Notes": ""},
                          values={"proficient": {"1": "yes"}}, groups={"Birth Year": False}, wide=layout.as_dict())
    assert mapping.in_words() == [
        "scores.csv holds the assessments table.",
        "scores.csv is a wide score file: Each score column's name is the subject, then the window, split at ' ' "
        "(for example 'Math K' is subject Math, window K).",
        "Your column 'Grade' is window.", "Your column 'Notes' is left out.",
        "In proficient, '1' means yes.", "Your column 'Birth Year' is not a student group."]


def test_a_mapping_survives_saving_and_emptied_mappings_disappear():
    mappings = Mappings().changed("a.csv", HEADERS, columns={"School": "school_id"})
    assert Mappings.from_list(mappings.as_list()) == mappings
    assert Mappings.from_list("damaged") == Mappings()
    assert mappings.changed("a.csv", HEADERS, columns={}).files == ()


def test_a_renamed_copy_changes_with_the_original():
    mappings = Mappings().changed("Free.csv", HEADERS, table="students").copied_to("Free.csv", HEADERS, "students.csv")
    mappings = mappings.changed("students.csv", HEADERS, columns={"School": "school_id"})
    assert mappings.find("Free.csv", HEADERS).columns == {"School": "school_id"}
    assert header_signature(HEADERS) == header_signature([h.upper() for h in HEADERS])
