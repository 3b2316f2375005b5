"""Anki's own client against a sync server (the `anki` package from PyPI).

Usage:
  python anki_sync.py sync SERVER USER PASSWORD COLLECTION.anki2 [N]
      Answers the first N cards of the AWS Big Data deck's queue through Anki's scheduler first (Good,
      and Again every third one; none when N is not given), then syncs as Anki does: a full
      download when the server requires one (a new collection), a normal sync otherwise. Prints
      one JSON object: what the sync required, Anki's today, the revlog ids added, and every
      card with its note's guid, deck, fields, schedule and revlog count.
"""

import json
import sys

from anki.collection import Collection
from anki.cards import Card
from anki.scheduler_pb2 import CardAnswer
from anki.sync_pb2 import SyncCollectionResponse

from anki_package import cards


def answer(col, count):
    col.decks.select(col.decks.id_for_name("AWS Big Data"))
    before = set(col.db.list("select id from revlog"))
    for i in range(count):
        queued = col.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards:
            break
        top = queued.cards[0]
        card = Card(col, backend_card=top.card)
        card.start_timer()
        rating = CardAnswer.AGAIN if i % 3 == 2 else CardAnswer.GOOD
        col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=rating))
    return sorted(set(col.db.list("select id from revlog")) - before)


def main():
    _, mode, server, user, password, path = sys.argv[:6]
    assert mode == "sync"
    col = Collection(path)
    added = answer(col, int(sys.argv[6])) if len(sys.argv) > 6 else []
    auth = col.sync_login(user, password, server)
    auth.endpoint = server
    out = col.sync_collection(auth, False)
    required = SyncCollectionResponse.ChangesRequired.Name(out.required)
    if out.required in (
        SyncCollectionResponse.FULL_DOWNLOAD,
        SyncCollectionResponse.FULL_SYNC,
    ):
        col.close_for_full_sync()
        col.full_upload_or_download(auth=auth, server_usn=out.server_media_usn, upload=False)
        col.reopen(after_full_sync=True)
    print(json.dumps({"required": required, "today": col.sched.today, "added": added, "cards": cards(col)}))
    col.close()


if __name__ == "__main__":
    main()
