"""Turn a coach's file (CSV or Excel, as bytes) into a frame of text cells, or say why it cannot be read.

Every cell stays text here; `kit.io.validation` converts and checks values against the schema.
The frame's index is the row number the coach sees in their spreadsheet (the header is row 1).
"""

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from kit.io.problems import Check, Problem

#: Files larger than this are refused before they are read (a coach can split or filter them).
MAX_FILE_BYTES = 200 * 1024 * 1024
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
DELIMITERS = (",", ";", "\t", "|")

# Signatures of files that are often renamed to .csv by mistake.
_SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word (.doc) file"),
    (b"{\\rtf", "a Word (RTF) document"),
)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def read_bytes(content: bytes, file_name: str, table: str = "",
               max_bytes: int = MAX_FILE_BYTES) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one uploaded or opened file. Returns (frame of text cells, problems); the frame is None
    when the file cannot be read as a table.

    >>> frame, problems = read_bytes(b"school_id;level\\nSCH1;high\\n", "schools.csv", "schools")
    >>> frame.loc[2, "level"], problems
    ('high', [])
    """
    content = bytes(content)

    def refuse(check: Check, message: str, how_to_fix: str) -> tuple[None, list[Problem]]:
        return None, [Problem(table, check, message, how_to_fix, file=file_name)]

    if len(content) > max_bytes:
        return refuse(Check.TOO_LARGE,
                      f"{file_name} is {_size(len(content))}; the kit reads files up to {_size(max_bytes)}.",
                      "Split the file (for example one file per school or per year), or keep only the "
                      "columns the kit uses.")
    if not content.strip(b" \t\r\n\xef\xbb\xbf"):
        return refuse(Check.EMPTY, f"{file_name} is empty.",
                      "Export the table again from your spreadsheet, with a header row and data rows.")
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            return refuse(Check.NOT_A_TABLE, f"{file_name} is {kind}, not a table.",
                          "Open it in your spreadsheet program and save it as CSV or Excel (.xlsx).")
    if content.startswith(b"PK\x03\x04"):
        return _read_excel(content, file_name, table)
    if file_name.lower().endswith(EXCEL_SUFFIXES):
        return refuse(Check.NOT_A_TABLE, f"{file_name} is named like an Excel workbook but is not one.",
                      "Open it in Excel and save it again as .xlsx, or export it as CSV.")
    return _read_text(content, file_name, table)


def read_path(path: str | Path, table: str = "",
              max_bytes: int = MAX_FILE_BYTES) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a file from disk, refusing it by its size before reading it into memory."""
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        return None, [Problem(table, Check.TOO_LARGE,
                              f"{path.name} is {_size(size)}; the kit reads files up to {_size(max_bytes)}.",
                              "Split the file (for example one file per school or per year).", file=path.name)]
    return read_bytes(path.read_bytes(), path.name, table, max_bytes)


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1024 / 1024:.1f} MB" if n_bytes >= 1024 * 1024 else f"{n_bytes / 1024:.0f} KB"


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode text" exported by Excel
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass  # only looked like UTF-16 (a damaged or 8-bit file): read it as one below
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows writes cp1252; Latin-1 accepts any byte, so it is the last resort.
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            return content.decode("latin-1")


def _delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_text(content: bytes, file_name: str, table: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    text = _decode(content)
    sample = text[:4096]
    if len(_CONTROL_CHARACTERS.findall(sample)) > max(2, len(sample) // 100):
        return None, [Problem(table, Check.NOT_A_TABLE, f"{file_name} does not contain text; it is not a table.",
                              "Open the data in your spreadsheet program and save it as CSV or Excel (.xlsx).",
                              file=file_name)]
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    try:
        frame = pd.read_csv(io.StringIO(text), sep=_delimiter(header_line), dtype=str, keep_default_na=False,
                            skip_blank_lines=False, skipinitialspace=True)
    except (pd.errors.ParserError, ValueError, UnicodeError, MemoryError) as error:
        line = re.search(r"line (\d+)", str(error))
        where = f" at row {line.group(1)}" if line else ""
        return None, [Problem(table, Check.UNREADABLE,
                              f"{file_name} could not be read as a table{where}: a row has more cells than "
                              "the header, or a quote is not closed.",
                              "Open the file in your spreadsheet program, check that row, and save it again as CSV.",
                              row=int(line.group(1)) if line else None, file=file_name)]
    return _tidy(frame, file_name, table)


def _read_excel(content: bytes, file_name: str, table: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    try:
        sheets = pd.read_excel(io.BytesIO(content), sheet_name=None, dtype=str, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError) as error:
        return None, [Problem(table, Check.NOT_A_TABLE,
                              f"{file_name} is a compressed file but not an Excel workbook the kit can read "
                              f"({type(error).__name__}).",
                              "Open it in Excel and save it again as .xlsx, or export it as CSV.", file=file_name)]
    named = {name.strip().lower(): frame for name, frame in sheets.items()}
    frame = named.get(table) if table else None
    if frame is None:
        frame = next((sheet for sheet in sheets.values() if not sheet.empty), None)
    if frame is None:
        return None, [Problem(table, Check.EMPTY, f"{file_name} has no sheet with data.",
                              "Put the table on the first sheet, with a header row.", file=file_name)]
    return _tidy(frame.fillna(""), file_name, table)


def _tidy(frame: pd.DataFrame, file_name: str, table: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Strip blanks, drop empty rows and unnamed empty columns, and number rows as the spreadsheet does."""
    frame = frame.fillna("").astype(str)
    frame.columns = [str(column).strip() for column in frame.columns]
    frame = frame.apply(lambda column: column.str.strip())
    unnamed = [column for column in frame.columns
               if column.startswith("Unnamed:") and not frame[column].astype(bool).any()]
    frame = frame.drop(columns=unnamed)
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    frame = frame[frame.astype(bool).any(axis=1)] if len(frame.columns) else frame
    if len(frame.columns) == 0 or frame.empty:
        return None, [Problem(table, Check.EMPTY, f"{file_name} has a header row but no rows of data.",
                              "Add the data below the header row and save again.", file=file_name)]
    return frame, []
