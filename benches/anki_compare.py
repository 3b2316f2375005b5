"""awscards and Anki's own Rust backend (the `anki` package), side by side, in one run, on the
same collection.

Usage (with the venv that ./run-tests makes):
    target/pyenv/bin/python benches/anki_compare.py ./target/release/awscards \
        [--cards 100000] [--reviews 1000000] [--out target/bench] [--json]

1. Runs `awscards bench --json`, which builds a heavy user's collection (see the README) in
   OUT, times it, and leaves OUT/export.csv (every card, in Anki's CSV format).
2. Builds the same collection in Anki: that CSV imported (the same notes, decks, tags and
   guids), each card's scheduling state copied from awscards' collection (review cards with
   their interval, due day, ease and lapses), as many review-log rows over the last year.
3. Times the same operations through Anki's Python API (medians of repeated runs), then
   both sides again (--rounds, default 2; Anki on a copy of the collection as built), and
   prints each side's best round and the ratio awscards / Anki per figure.
4. Syncs, against Anki's own sync server started here (`python -m anki.syncserver`, a user of
   its own per side and round): the first sync of the collection (a full upload), then a
   normal sync with 100 new answers each way (the other device a copy of the first as synced,
   answering another deck's cards). `awscards bench --sync-server` times its side.
"""

import argparse
import datetime
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time

from anki.collection import Collection  # first: anki.cards imports it back
from anki.cards import Card
from anki.import_export_pb2 import ImportCsvRequest
from anki.scheduler_pb2 import CardAnswer

RUNS = 5
SYNC_PASSWORD = "bench"
SEARCHES = ["deck:AWS*", "tag:svc7 prop:ivl>10", "question 123", "is:due -tag:svc3"]
TOP_DECK = "AWS Big Data"


def median_ms(f, runs=RUNS):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1000.0)
    return statistics.median(times)


def build_anki(path, out, reviews):
    """The awscards collection in OUT, rebuilt in Anki at PATH."""
    col = Collection(path)
    try:
        csv = os.path.join(out, "export.csv")
        meta = col.get_csv_metadata(csv, None)
        col.import_csv(ImportCsvRequest(path=csv, metadata=meta))
        ids = dict(col.db.all("select n.guid, c.id from cards c join notes n on c.nid = n.id"))
        ours = sqlite3.connect(f"file:{os.path.join(out, 'collection.sqlite')}?mode=ro", uri=True)
        epoch_today = (datetime.date.today() - datetime.date(1970, 1, 1)).days
        anki_today = col.sched.today
        updates = []
        for key, ivl, due, ease, lapses, reps in ours.execute(
            "select key, interval_days, due_day, ease, lapses, repetitions from cards"
            " where retired = 0 and is_new = 0"
        ):
            if key in ids:
                due_anki = anki_today + (due - epoch_today)
                updates.append((ivl, due_anki, int(ease * 1000), lapses, reps, ids[key]))
        ours.close()
        col.db.executemany(
            "update cards set type = 2, queue = 2, ivl = ?, due = ?, factor = ?, lapses = ?,"
            " reps = ? where id = ?",
            updates,
        )
        review_ids = [u[-1] for u in updates]
        rng = random.Random(42)
        start_ms = int((time.time() - 365 * 86400) * 1000)
        rows = []
        for i in range(reviews if review_ids else 0):
            ivl = rng.randint(1, 200)
            rows.append(
                (start_ms + i * 31, rng.choice(review_ids), -1, rng.choice([1, 2, 3, 3, 3, 4]),
                 ivl, ivl, 2500, rng.randint(2000, 20000), 1)
            )
        col.db.executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", rows)
        # The same collection, or the comparison means nothing.
        if col.card_count() != len(ids) or len(updates) != len(review_ids):
            raise SystemExit("the Anki collection does not match awscards' one")
        return col.card_count(), len(updates), col.db.scalar("select count() from revlog")
    finally:
        col.close()


def time_anki(path, out):
    def reopen():
        Collection(path).close()

    queue = []
    for _ in range(RUNS):
        col = Collection(path)
        col.decks.select(col.decks.id_for_name(TOP_DECK))
        t = time.perf_counter()
        col.sched.get_queued_cards(fetch_limit=1)
        queue.append((time.perf_counter() - t) * 1000.0)
        col.close()
    figures = {"open_ms": median_ms(reopen), "queue_ms": statistics.median(queue)}
    col = Collection(path)
    try:
        figures["deck_tree_ms"] = median_ms(col.sched.deck_due_tree)
        searches = [median_ms(lambda q=q: col.find_cards(q)) for q in SEARCHES]
        figures["search_ms"] = statistics.median(searches)
        figures["search_text_ms"] = searches[2]
        for q, ms in zip(SEARCHES, searches):
            figures[f"search {q}"] = ms
        csv = os.path.join(out, "anki-export.csv")
        figures["export_csv_ms"] = median_ms(
            lambda: col.export_note_csv(
                out_path=csv, limit=None, with_html=False, with_tags=True, with_deck=True,
                with_notetype=False, with_guid=True,
            ),
            runs=3,
        )
        # What Anki's Stats screen asks its backend for: every graph over a year.
        figures["stats_ms"] = median_ms(
            lambda: col._backend.graphs(search="deck:*", days=365), runs=3
        )
        col.decks.select(col.decks.id_for_name(TOP_DECK))
        answers = []
        for _ in range(200):
            queued = col.sched.get_queued_cards(fetch_limit=1)
            if not queued.cards:
                break
            top = queued.cards[0]
            card = Card(col, backend_card=top.card)
            card.start_timer()
            answer = col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.GOOD)
            t = time.perf_counter()
            col.sched.answer_card(answer)
            answers.append((time.perf_counter() - t) * 1000.0)
        figures["answer_ms"] = statistics.median(answers) if answers else 0.0
        return figures
    finally:
        col.close()


class SyncServer:
    """Anki's sync server on a free local port, with `users` (each with SYNC_PASSWORD)."""

    def __init__(self, base, users):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = dict(os.environ, SYNC_HOST="127.0.0.1", SYNC_PORT=str(port), SYNC_BASE=base,
                   MAX_SYNC_PAYLOAD_MEGS="4000")
        for i, user in enumerate(users, 1):
            env[f"SYNC_USER{i}"] = f"{user}:{SYNC_PASSWORD}"
        self.url = f"http://127.0.0.1:{port}/"
        self.process = subprocess.Popen([sys.executable, "-m", "anki.syncserver"], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the sync server did not start")

    def stop(self):
        self.process.kill()
        self.process.wait()


def leaf_decks(col):
    """The decks under the top deck that hold no other, by name (as awscards' bench picks)."""
    names = sorted(d.name for d in col.decks.all_names_and_ids()
                   if d.name.startswith(TOP_DECK + "::"))
    return [n for n in names if not any(o.startswith(n + "::") for o in names)]


def answer_in(col, deck, count):
    col.decks.select(col.decks.id_for_name(deck))
    for _ in range(count):
        queued = col.sched.get_queued_cards(fetch_limit=1).cards
        if not queued:
            raise SystemExit(f"fewer than {count} cards to study in {deck}")
        top = queued[0]
        card = Card(col, backend_card=top.card)
        card.start_timer()
        col.sched.answer_card(col.sched.build_answer(card=card, states=top.states,
                                                     rating=CardAnswer.GOOD))


def time_anki_sync(path, server, user, each_way):
    """Anki's client: its first sync of the collection at PATH (a full upload to an empty
    server), then a normal sync with `each_way` new answers each way."""
    from anki.sync_pb2 import SyncCollectionResponse

    col = Collection(path)
    auth = col.sync_login(user, SYNC_PASSWORD, server.url)
    auth.endpoint = server.url
    t = time.perf_counter()
    out = col.sync_collection(auth, False)
    if out.required != SyncCollectionResponse.FULL_UPLOAD:
        raise SystemExit(f"Anki's first sync was not a full upload: {out.required}")
    col.close_for_full_sync()
    col.full_upload_or_download(auth=auth, server_usn=out.server_media_usn, upload=True)
    full = (time.perf_counter() - t) * 1000.0
    col.reopen(after_full_sync=True)
    decks = leaf_decks(col)
    col.close()
    other_path = path.replace(".anki2", "-other.anki2")
    shutil.copy(path, other_path)
    other = Collection(other_path)
    answer_in(other, decks[-1], each_way)
    if other.sync_collection(auth, False).required != SyncCollectionResponse.NO_CHANGES:
        raise SystemExit("the other device's sync was not a normal one")
    other.close()
    col = Collection(path)
    try:
        answer_in(col, decks[0], each_way)
        t = time.perf_counter()
        out = col.sync_collection(auth, False)
        normal = (time.perf_counter() - t) * 1000.0
        if out.required != SyncCollectionResponse.NO_CHANGES:
            raise SystemExit(f"Anki's timed sync was not a normal one: {out.required}")
        return {"sync_full_ms": full, "sync_normal_ms": normal}
    finally:
        col.close()


def run_ours(a, reviews, sync=None):
    """awscards bench's figures, each search's from the report it leaves in OUT; with `sync`
    (a server and a user), its sync figures too."""
    more = ["--sync-server", sync[0].url, "--sync-user", sync[1]] if sync else []
    ours = json.loads(
        subprocess.run(
            [a.awscards, "bench", "--cards", str(a.cards), "--reviews", str(reviews),
             "--out", a.out, "--json", *more],
            check=True, capture_output=True, text=True,
            env=dict(os.environ, AWSCARDS_SYNC_PASSWORD=SYNC_PASSWORD),
        ).stdout
    )
    with open(os.path.join(a.out, "report.json")) as f:
        report = json.load(f)
    for q, ms in report["searches_ms"].items():
        ours[f"search {q}"] = ms
    ours["sqlite_commit_floor_ms"] = report["sqlite_commit_floor_ms"]
    return ours


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("awscards")
    p.add_argument("--cards", type=int, default=100_000)
    p.add_argument("--reviews", type=int)
    p.add_argument("--out", default="target/bench")
    p.add_argument("--json", action="store_true")
    p.add_argument("--rounds", type=int, default=2, help="rounds per side; each keeps its best")
    a = p.parse_args()
    reviews = a.reviews if a.reviews is not None else 10 * a.cards
    server_dir = os.path.join(a.out, "sync-server")
    shutil.rmtree(server_dir, ignore_errors=True)
    users = [f"{side}{r}" for r in range(a.rounds) for side in ("ours", "anki")]
    server = SyncServer(server_dir, users)
    try:
        compare(a, reviews, server)
    finally:
        server.stop()


def compare(a, reviews, server):
    ours_runs = [run_ours(a, reviews, (server, "ours0"))]
    anki_dir = os.path.join(a.out, "anki")
    shutil.rmtree(anki_dir, ignore_errors=True)
    shutil.rmtree(os.path.join(a.out, "anki-pristine"), ignore_errors=True)
    os.makedirs(anki_dir)
    path = os.path.join(anki_dir, "collection.anki2")
    cards, in_review, revlog = build_anki(path, a.out, reviews)
    if cards != a.cards or revlog != reviews:
        raise SystemExit(f"Anki has {cards} cards and {revlog} revlog rows, not {a.cards} and {reviews}")
    pristine = os.path.join(a.out, "anki-pristine")
    shutil.copytree(anki_dir, pristine, dirs_exist_ok=True)
    def anki_round(r):
        figures = time_anki(path, a.out)
        shutil.rmtree(anki_dir)
        shutil.copytree(pristine, anki_dir)
        each_way = ours_runs[0]["sync_answers_each_way"]
        figures.update(time_anki_sync(path, server, f"anki{r}", each_way))
        return figures

    theirs_runs = [anki_round(0)]
    # This machine is shared: a slow minute can fall on either side. Each side is timed again
    # (Anki on the collection as built, before its answers) and keeps its best round.
    for r in range(1, a.rounds):
        ours_runs.append(run_ours(a, reviews, (server, f"ours{r}")))
        shutil.rmtree(anki_dir)
        shutil.copytree(pristine, anki_dir)
        theirs_runs.append(anki_round(r))
    keys = ["open_ms", "queue_ms", "deck_tree_ms", "search_ms", "search_text_ms"] + [
        f"search {q}" for q in SEARCHES] + ["export_csv_ms", "stats_ms", "answer_ms",
                                            "sync_full_ms", "sync_normal_ms"]
    ours = {k: min(r[k] for r in ours_runs) for k in keys}
    theirs = {k: min(r[k] for r in theirs_runs) for k in keys}
    floors = ["fsync_floor_ms", "sqlite_commit_floor_ms"]
    ours.update({k: min(r[k] for r in ours_runs) for k in floors})
    rows = [
        {"figure": k, "awscards": ours[k], "anki": theirs[k],
         "ratio": ours[k] / theirs[k] if theirs[k] else None}
        for k in keys
    ]
    if a.json:
        json.dump({"cards": a.cards, "in_review": in_review, "reviews": reviews, "figures": rows,
                   **{k: ours[k] for k in floors}, "rounds": a.rounds},
                  sys.stdout, indent=2)
        print()
        return
    print(f"{a.cards} cards ({in_review} in review), {reviews} answers in the log; "
          f"fsync floor {ours['fsync_floor_ms']:.2f} ms, one-row SQLite commit "
          f"{ours['sqlite_commit_floor_ms']:.2f} ms; best of {a.rounds} rounds per side")
    print(f"{'figure':<32} {'awscards':>10} {'Anki':>10} {'ratio':>7}")
    for r in rows:
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else "-"
        print(f"{r['figure']:<32} {r['awscards']:>10.2f} {r['anki']:>10.2f} {ratio:>7}")


if __name__ == "__main__":
    main()
