"""Office Open XML shared by the readers: a DOCX opened safely, judged before it is unzipped.

Used by ``check`` (reading a built DOCX back) and ``importer`` (reading a translated one);
importing this package loads neither of them.
"""
