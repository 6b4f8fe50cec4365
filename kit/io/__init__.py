"""Loading a coach's tables: read files, match headers, validate against the schema, report problems."""

from kit.io.dataset import Dataset, LoadedTable, guess_table, load_table, open_dataset, open_sample
from kit.io.problems import ERROR, WARNING, Check, Problem, problems_frame
from kit.io.reading import MAX_FILE_BYTES
from kit.workspace import SAMPLE_FOLDER, TEMPLATE_FOLDER

__all__ = ["Dataset", "LoadedTable", "load_table", "open_dataset", "open_sample", "guess_table", "Problem",
           "Check", "problems_frame", "ERROR", "WARNING", "MAX_FILE_BYTES", "SAMPLE_FOLDER", "TEMPLATE_FOLDER"]
