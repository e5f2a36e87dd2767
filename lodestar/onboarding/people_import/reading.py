"""Reading a people spreadsheet as HR systems and Excel write them: CSV (UTF-8 with or without BOM,
UTF-16 as Excel's "Unicode text", or Windows-1252; comma, semicolon or tab) or XLSX, with English or
German column names. The result is plain rows of text keyed by the columns we know; nothing here
looks at the database."""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX is a zip: refuse one that unpacks to far more than any real people list (a zip bomb).
MAX_XLSX_UNPACKED = 100 * 1024 * 1024
MAX_CELL = 2_000

# The columns we know, in the template's order, and every header that names each (compared after
# lower-casing and dropping everything but letters and digits: "E-Mail" = "email", "Vorgesetzte(r)"
# = "vorgesetzter").
COLUMNS = ("name", "email", "groups", "role", "manager", "leads", "job_title", "language", "time_zone", "ambassador")
HEADER_ALIASES = {
    "name": ["name", "full name", "display name", "vollständiger name", "mitarbeiter", "mitarbeiterin"],
    "email": ["e-mail", "email address", "e-mail address", "mail", "e-mail-adresse", "emailadresse", "mailadresse"],
    "groups": ["group", "groups", "team", "teams", "department", "gruppe", "gruppen", "abteilung"],
    "role": ["role", "rolle", "lodestar role"],
    "manager": [
        "manager",
        "manager e-mail",
        "manager email",
        "manager e-mail address",
        "reports to",
        "vorgesetzte(r)",
        "vorgesetzter",
        "vorgesetzte",
        "vorgesetzte(r) e-mail",
        "e-mail vorgesetzte(r)",
        "führungskraft",
    ],
    "leads": ["lead of", "leads", "leads group", "team lead of", "leitet", "leitung", "leitet gruppe"],
    "job_title": ["job title", "title", "position", "jobtitel", "stellenbezeichnung", "funktion"],
    "language": ["language", "sprache"],
    "time_zone": ["time zone", "timezone", "zeitzone"],
    "ambassador": ["okr ambassador", "ambassador", "okr-ambassador", "okr-botschafter", "okr-botschafter(in)"],
    # HR exports often split the name; the two halves make "name" when there is no name column.
    "first_name": ["first name", "given name", "vorname"],
    "last_name": ["last name", "surname", "family name", "nachname", "familienname"],
}


def header_key(text: str) -> str:
    return "".join(char for char in str(text).casefold() if char.isalnum())


_HEADERS = {header_key(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases}


@dataclass
class Table:
    """What a file holds: rows of {column: text} with the spreadsheet's row number under "row"
    (the header is row 1, as Excel counts), the columns found, and the headers nobody knows."""

    rows: list[dict] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    format: str = ""


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def read_people_file(name: str, data: bytes) -> Table:
    """The rows of an uploaded CSV or XLSX file; a ValidationError (keyed "file") says why a file
    cannot be read at all. Errors in single rows are the planner's business."""
    if not data:
        raise _refuse(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise _refuse(
            _("The file is larger than %(limit)d MB: split it, or leave out columns Lodestar does not read.")
            % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    lowered = (name or "").lower()
    if data[:4] == b"PK\x03\x04":
        return _table(_xlsx_records(data), "xlsx")
    if (
        lowered.endswith((".xls", ".xlsm", ".xlsb", ".ods", ".numbers"))
        or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    ):
        raise _refuse(_("Lodestar reads CSV and XLSX files: save the spreadsheet as “Excel workbook (.xlsx)” or CSV."))
    return _table(_csv_records(_decode(data)), "csv")


# --- CSV ---------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """UTF-16 when it starts with its BOM (Excel's "Unicode text"), else UTF-8 (BOM or not), else
    Windows-1252 (Excel's "CSV" on a German or English Windows)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise _refuse(_("The file's characters could not be read: save it as CSV UTF-8 or as an Excel workbook."))


def _delimiter(text: str) -> str:
    """The separator of the header line: the one that splits it into the most columns we know; on a
    tie the one it contains most often (comma when there is none)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    best, best_score = ",", (-1, -1)
    for candidate in (",", ";", "\t"):
        try:
            cells = next(csv.reader([first], delimiter=candidate), [])
        except csv.Error:
            continue
        known = sum(1 for cell in cells if header_key(cell) in _HEADERS)
        score = (known, first.count(candidate))
        if score > best_score:
            best, best_score = candidate, score
    return best


def _csv_records(text: str):
    if "\x00" in text:
        raise _refuse(_("The file holds binary data, not text: upload a CSV or XLSX file."))
    first, _newline, rest = text.partition("\n")
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        delimiter, text = first.strip()[4], rest  # Excel's hint ("sep=;"), which Excel does not show as a row
    else:
        delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise _refuse(
            _("Row %(row)d could not be read (%(reason)s): check its quotation marks.")
            % {"row": reader.line_num, "reason": error}
        ) from None


# --- XLSX --------------------------------------------------------------------------------------


def _xlsx_records(data: bytes):
    from openpyxl import load_workbook  # only when a workbook comes in: it is a sizeable import

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _refuse(_("This is not a readable XLSX file: save it again from your spreadsheet program.")) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise _refuse(_("The workbook unpacks to more than 100 MB: save only the people sheet, as CSV."))
    try:
        # data_only: the values Excel last showed (a formula's result, not the formula); dates and
        # numbers become text below.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for damaged files
        raise _refuse(_("This is not a readable XLSX file: save it again from your spreadsheet program.")) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return
        try:
            for values in sheet.iter_rows(values_only=True):
                yield [_cell_text(value) for value in values]
        except Exception:
            raise _refuse(_("This is not a readable XLSX file: save it again from your spreadsheet program.")) from None
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- rows --------------------------------------------------------------------------------------

_SPACE = re.compile(r"[ \t\u00a0]+")


def _table(records, file_format: str) -> Table:
    """The first non-empty record names the columns; each later non-empty one is a person."""
    table = Table(format=file_format)
    positions = None
    for number, record in enumerate(records, start=1):
        cells = [_SPACE.sub(" ", str(cell)).strip() for cell in record]
        if not any(cells):
            continue
        if positions is None:
            positions = _header(cells, table)
            continue
        if len(table.rows) >= MAX_ROWS:
            raise _refuse(
                _("The file has more than %(limit)s people: split it into several files.") % {"limit": f"{MAX_ROWS:,}"}
            )
        row = {"row": number}
        for index, column in positions.items():
            value = cells[index] if index < len(cells) else ""
            row[column] = value[:MAX_CELL]
        if "first_name" in row or "last_name" in row:
            halves = (row.pop("first_name", ""), row.pop("last_name", ""))
            row.setdefault("name", " ".join(half for half in halves if half))
        table.rows.append(row)
    if positions is None:
        raise _refuse(_("The file has no rows: the first row names the columns, one person per row below it."))
    if not table.rows:
        raise _refuse(_("The file names its columns but lists nobody."))
    return table


def _header(cells: list[str], table: Table) -> dict[int, str]:
    positions: dict[int, str] = {}
    for index, cell in enumerate(cells):
        column = _HEADERS.get(header_key(cell))
        if column is None:
            if cell:
                table.ignored.append(cell[:60])
            continue
        if column in positions.values():
            raise _refuse(_("Two columns mean the same (“%(header)s”): keep one.") % {"header": cell[:60]})
        positions[index] = column
    if "email" not in positions.values():
        raise _refuse(
            _(
                "No e-mail column: the first row must name the columns, e.g. Name, E-mail, Group, Role, "
                "Manager e-mail (in German: Name, E-Mail, Gruppe, Rolle, Vorgesetzte(r))."
            )
        )
    found = set(positions.values())
    if found & {"first_name", "last_name"}:
        found.add("name")
    table.columns = [column for column in COLUMNS if column in found]
    return positions
