"""Documents rendered from what the selectors read: they write nothing to the database.

- `report_pdf`: an issued report's PDF (WeasyPrint), rendered once and kept in the storage;
- `questionnaire_print`: the questionnaire of a catalogue version to print or download as PDF,
  with the manager's proposals printed into it.
"""
