"""Imports a CSV file into an Anki collection with Anki's own backend (the `anki` package
from PyPI), using only the settings Anki reads from the file itself, as File > Import does.

Usage: python anki_import.py COLLECTION.anki2 FILE.csv
Prints one JSON object: the metadata Anki detected, what the import did, and every note of
the collection with its fields both as stored (HTML) and as plain text.
"""

import html
import json
import sys

from anki.collection import Collection
from anki.import_export_pb2 import CsvMetadata, ImportCsvRequest


def plain(field: str) -> str:
    # Anki stores plain-text imports (#html:false) HTML-escaped, with newlines as <br>.
    return html.unescape(field.replace("<br>", "\n"))


col = Collection(sys.argv[1])
try:
    meta = col.get_csv_metadata(sys.argv[2], None)
    notetype = col.models.get(meta.global_notetype.id) if meta.HasField("global_notetype") else None
    detected = {
        "delimiter": CsvMetadata.Delimiter.Name(meta.delimiter),
        "is_html": meta.is_html,
        "notetype": notetype["name"] if notetype else None,
        "deck_column": meta.deck_column,
        "tags_column": meta.tags_column,
        "guid_column": meta.guid_column,
        "dupe_resolution": CsvMetadata.DupeResolution.Name(meta.dupe_resolution),
        "column_labels": list(meta.column_labels),
    }
    log = col.import_csv(ImportCsvRequest(path=sys.argv[2], metadata=meta)).log
    notes = []
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        notes.append(
            {
                "guid": note.guid,
                "notetype": note.note_type()["name"],
                "fields": note.fields,
                "plain": [plain(f) for f in note.fields],
                "tags": note.tags,
                "decks": sorted({col.decks.name(c.did) for c in note.cards()}),
            }
        )
    result = {"detected": detected, "notes": notes}
    for kind in ("new", "updated", "duplicate", "conflicting", "first_field_match",
                 "missing_notetype", "missing_deck", "empty_first_field"):
        result[kind] = len(getattr(log, kind))
    json.dump(result, sys.stdout)
finally:
    col.close()
