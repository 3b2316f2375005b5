-- Indexes the queue and the deck tree seek into instead of scanning (at 100 000 cards the
-- pending-repeat search scanned every review card, ~48 ms, and the deck tree ~35 ms; see the
-- commit that added this file).

-- Same-day repeats are few: a partial index holds only them.
CREATE INDEX cards_repeat ON cards (deck, last_review_day) WHERE repeat_pending = 1;

-- Per deck, new cards in one range and review cards ordered by due day, so that a deck's
-- counts read no more entries than the daily limits let the tree show.
DROP INDEX cards_deck_counts;
CREATE INDEX cards_deck_counts
    ON cards (deck, retired, suspended, is_new, due_day, last_review_day);
