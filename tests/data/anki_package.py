"""Anki packages through Anki's own backend (the `anki` package from PyPI).

Usage:
  python anki_package.py import COLLECTION.anki2 PACKAGE
      Imports PACKAGE with scheduling, as File > Import does, and prints one JSON object:
      Anki's today, and every card with its note's guid, deck, fields, schedule and revlog count.
  python anki_package.py review COLLECTION.anki2 N OUT.colpkg|OUT.apkg DECK
      Answers the first N cards of DECK's queue through Anki's scheduler (Good, and Again
      every third one), exports the collection with scheduling (in Anki's current format) and
      prints the guids answered and the revlog ids added.
  python anki_package.py cloze COLLECTION.anki2 OUT.apkg
      Adds a Cloze note to the (new) collection and exports it: a package of another note type.
"""

import json
import sys

from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
from anki.cards import Card
from anki.scheduler_pb2 import CardAnswer


def cards(col):
    out = []
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        note = card.note()
        out.append(
            {
                "guid": note.guid,
                "deck": col.decks.name(card.did),
                "fields": note.fields,
                "tags": note.tags,
                "type": card.type,
                "queue": card.queue,
                "due": card.due,
                "ivl": card.ivl,
                "factor": card.factor,
                "reps": card.reps,
                "lapses": card.lapses,
                "revlog": col.db.scalar("select count() from revlog where cid = ?", cid),
            }
        )
    return out


def answer_queue(col, deck, count):
    """Answers the first `count` cards of `deck`'s queue through Anki's scheduler (Good, and
    Again every third one): the guids answered and the revlog ids added."""
    col.decks.select(col.decks.id_for_name(deck))
    before = set(col.db.list("select id from revlog"))
    answered = []
    for i in range(count):
        queued = col.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards:
            break
        top = queued.cards[0]
        card = Card(col, backend_card=top.card)
        card.start_timer()
        rating = CardAnswer.AGAIN if i % 3 == 2 else CardAnswer.GOOD
        col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=rating))
        answered.append(card.note().guid)
    return answered, sorted(set(col.db.list("select id from revlog")) - before)


def main():
    mode, path = sys.argv[1], sys.argv[2]
    col = Collection(path)
    try:
        if mode == "import":
            request = ImportAnkiPackageRequest(
                package_path=sys.argv[3],
                options=ImportAnkiPackageOptions(with_scheduling=True),
            )
            col.import_anki_package(request)
            print(json.dumps({"today": col.sched.today, "cards": cards(col)}))
        elif mode == "review":
            count, out = int(sys.argv[3]), sys.argv[4]
            answered, added = answer_queue(col, sys.argv[5], count)
            if out.endswith(".colpkg"):
                col.export_collection_package(out, include_media=False, legacy=False)
            else:
                options = ExportAnkiPackageOptions(
                    with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False
                )
                col.export_anki_package(out_path=out, options=options, limit=None)
            print(json.dumps({"answered": answered, "revlog_ids": added}))
        elif mode == "cloze":
            note = col.new_note(col.models.by_name("Cloze"))
            note["Text"] = "{{c1::Kinesis}} streams data"
            col.add_note(note, col.decks.id("Elsewhere"))
            options = ExportAnkiPackageOptions(with_scheduling=True, with_media=False)
            col.export_anki_package(out_path=sys.argv[3], options=options, limit=None)
            print(json.dumps({"notes": 1}))
        else:
            raise SystemExit(f"unknown mode {mode}")
    finally:
        if col.db:
            col.close()


if __name__ == "__main__":
    main()
