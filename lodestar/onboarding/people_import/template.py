"""The spreadsheet template to fill in: every column the import reads, with example rows, headed in
English or German (the reader understands both, whichever the file uses)."""

import csv
import io

HEADERS = {
    "en": [
        "Name",
        "E-mail",
        "Group",
        "Role",
        "Manager e-mail",
        "Lead of",
        "Job title",
        "Language",
        "Time zone",
        "OKR ambassador",
    ],
    "de": [
        "Name",
        "E-Mail",
        "Gruppe",
        "Rolle",
        "Vorgesetzte(r)",
        "leitet",
        "Position",
        "Sprache",
        "Zeitzone",
        "OKR-Ambassador",
    ],
}
EXAMPLES = {
    "en": [
        [
            "Jonas Weber",
            "jonas.weber@example.com",
            "Engineering",
            "admin",
            "",
            "Engineering / Platform",
            "Head of platform",
            "English",
            "Europe/Berlin",
            "yes",
        ],
        [
            "Anna Schmidt",
            "anna.schmidt@example.com",
            "Engineering / Platform; Rollout team",
            "member",
            "jonas.weber@example.com",
            "",
            "Software engineer",
            "German",
            "Europe/Berlin",
            "no",
        ],
    ],
    "de": [
        [
            "Jonas Weber",
            "jonas.weber@example.com",
            "Entwicklung",
            "Admin",
            "",
            "Entwicklung / Plattform",
            "Leiter Plattform",
            "Deutsch",
            "Europe/Berlin",
            "ja",
        ],
        [
            "Jürgen Müller",
            "juergen.mueller@example.com",
            "Entwicklung / Plattform; Rollout-Team",
            "Mitglied",
            "jonas.weber@example.com",
            "",
            "Softwareentwickler",
            "Deutsch",
            "Europe/Berlin",
            "nein",
        ],
    ],
}


def _language(language: str) -> str:
    return "de" if (language or "").startswith("de") else "en"


def template_csv(language: str) -> bytes:
    """UTF-8 with a BOM, so that Excel shows the umlauts; German Excel separates with semicolons."""
    language = _language(language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if language == "de" else ",", lineterminator="\r\n")
    writer.writerow(HEADERS[language])
    writer.writerows(EXAMPLES[language])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(language: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    language = _language(language)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Personen" if language == "de" else "People"
    sheet.append(HEADERS[language])
    for row in EXAMPLES[language]:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJ", (18, 28, 36, 10, 26, 24, 20, 10, 16, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
