"""Deterministic normalisers of what resumes print: dates (and, with the extractor, phones,
URLs, e-mail addresses, lists and skill names). Pure functions, shared by the readers and
the extractor."""
