"""Anki's own client against a sync server (the `anki` package from PyPI).

Usage:
  python anki_sync.py SERVER USER PASSWORD COLLECTION.anki2 [--import PACKAGE] [--answer N]
                     [--notes M] [--force-upload] [--suspend-and-flag GUID]
      First imports PACKAGE (with scheduling, as File > Import does), answers the first N
      cards of the AWS Big Data deck's queue through Anki's scheduler (Good, and Again every
      third one), and adds M notes of Anki's Basic note type to a deck "My own deck"; then
      syncs as Anki does: a full upload to an empty server, a full download when the server
      requires a full sync otherwise, a normal sync otherwise. With --force-upload the schema
      is marked changed first (as a learner's note type edit does), so the sync is a full one
      that uploads. --suspend-and-flag suspends the card of that note and flags it orange
      first. Prints one JSON object: what the sync required, Anki's today, the guids
      answered and the revlog ids added, the notes of "My own deck" (id, guid, fields), and
      every card of the awscards note type with its note's guid, deck, fields, schedule and
      revlog count.
"""

import argparse
import json

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.sync_pb2 import SyncCollectionResponse

from anki_package import answer_queue, cards

OWN_DECK = "My own deck"


def add_notes(col, count):
    deck = col.decks.id(OWN_DECK)
    basic = col.models.by_name("Basic")
    for i in range(count):
        note = col.new_note(basic)
        note["Front"] = f"My question {i}"
        note["Back"] = f"My answer {i}"
        col.add_note(note, deck)


def own_notes(col):
    ids = col.find_notes(f'"deck:{OWN_DECK}"')
    return sorted(
        [{"id": n.id, "guid": n.guid, "fields": n.fields} for n in map(col.get_note, ids)],
        key=lambda n: n["id"],
    )


def main():
    args = argparse.ArgumentParser()
    for name in ["server", "user", "password", "collection"]:
        args.add_argument(name)
    args.add_argument("--answer", type=int, default=0)
    args.add_argument("--notes", type=int, default=0)
    args.add_argument("--import", dest="package")
    args.add_argument("--force-upload", action="store_true")
    args.add_argument("--suspend-and-flag", metavar="GUID", default=None)
    a = args.parse_args()
    col = Collection(a.collection)
    if a.package:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=a.package, options=ImportAnkiPackageOptions(with_scheduling=True)
            )
        )
    answered, added = answer_queue(col, "AWS Big Data", a.answer) if a.answer else ([], [])
    add_notes(col, a.notes)
    if a.suspend_and_flag:
        nid = col.db.scalar("select id from notes where guid = ?", a.suspend_and_flag)
        cids = col.db.list("select id from cards where nid = ?", nid)
        col.sched.suspend_cards(cids)
        col.set_user_flag_for_cards(2, cids)
    if a.force_upload:
        # As a learner's "Check database" or note type edit does: the next sync must be full,
        # and this side wins.
        col.mod_schema(check=False)
    auth = col.sync_login(a.user, a.password, a.server)
    auth.endpoint = a.server
    out = col.sync_collection(auth, False)
    required = SyncCollectionResponse.ChangesRequired.Name(out.required)
    if out.required in (
        SyncCollectionResponse.FULL_UPLOAD,
        SyncCollectionResponse.FULL_DOWNLOAD,
        SyncCollectionResponse.FULL_SYNC,
    ):
        upload = a.force_upload or out.required == SyncCollectionResponse.FULL_UPLOAD
        col.close_for_full_sync()
        col.full_upload_or_download(auth=auth, server_usn=out.server_media_usn, upload=upload)
        col.reopen(after_full_sync=True)
    ours = [c for c in cards(col) if c["guid"] not in {n["guid"] for n in own_notes(col)}]
    print(
        json.dumps(
            {
                "required": required,
                "today": col.sched.today,
                "answered": answered,
                "added": added,
                "own_notes": own_notes(col),
                "cards": ours,
            }
        )
    )
    col.close()


if __name__ == "__main__":
    main()
