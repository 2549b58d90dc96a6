"""Office Open XML, shared by the DOCX writer, ``check`` and the importers (never through writers).

``package``: a DOCX opened safely, judged before it is unzipped (the one DOCX reader);
``parts``: its parts found by relationships, as Word finds them; ``names``: the XML
namespaces; ``ids``: the source map's units and bookmark names; ``styles``: the style names
that carry meaning. Importing this package loads none of the readers.
"""
