"""The site's one way to write dates per language (settings.FORMAT_MODULE_PATH).

Every date the site shows goes through DATE_FORMAT (`|date` without an argument, or
django.utils.formats.date_format), every moment through DATETIME_FORMAT: "27 August 2029" in
English, "27. August 2029" in German, "27 de agosto de 2029" in Spanish, as each language
writes a date in running text (CLDR's long date). Numbers keep Django's separators for the
language: 350,000 and 1.5 in English, 350.000 and 1,5 in German, 350 000 and 1,5 in Spanish.
Templates never name a format of their own (tests/test_dates.py checks that); only machine
dates (`Y-m-d` in a datetime attribute or a date input) are written otherwise.
"""
