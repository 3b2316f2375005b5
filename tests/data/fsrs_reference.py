"""FSRS memory states, intervals and recall predictions by the Python `fsrs` package (the
reference).

Reads JSON from standard input: a list of histories, each a list of [days since the first
review, rating 1-4]. For each history prints, after each review, the stability, the difficulty,
the interval in days and that interval before rounding, and the retrievability predicted just
before each review after the first: FSRS-6 default parameters, desired retention 0.9, no
learning steps and no fuzz (one review per day, as awscards counts them).
"""

import json
import sys
from datetime import datetime, timedelta, timezone

from fsrs import Card, Rating, Scheduler

scheduler = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
start = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
out = []
for history in json.load(sys.stdin):
    card = Card()
    states, recall, intervals = [], [], []
    for i, (day, rating) in enumerate(history):
        when = start + timedelta(days=day)
        if i > 0:
            recall.append(scheduler.get_card_retrievability(card, when))
        card, _ = scheduler.review_card(card, Rating(rating), when)
        states.append([card.stability, card.difficulty])
        raw = card.stability / scheduler._FACTOR * (
            scheduler.desired_retention ** (1 / scheduler._DECAY) - 1
        )
        intervals.append([(card.due - when).days, raw])
    out.append({"states": states, "recall": recall, "intervals": intervals})
json.dump(out, sys.stdout)
