-- The statistics read per-day aggregates of the review log and card states per deck, without
-- reading every answer or every card row (see the commit that added this file).

-- Each deck's answers per study day, kept in the same transaction as the log by the store
-- (an answer adds to its row, an undo takes away, a card moved to another deck moves its
-- answers). `awscards check` compares it with the log; `check --repair` rebuilds it.
-- The deck is the card's current deck, as in Anki's statistics. Young and mature count only
-- first reviews of a day of cards already learned (kind 'review'), by the interval before the
-- answer (mature from 21 days); passed means quality 3 or more.
CREATE TABLE review_days (
    study_day      INTEGER NOT NULL,
    deck           TEXT    NOT NULL,
    answers        INTEGER NOT NULL,
    again          INTEGER NOT NULL,   -- answers with quality below 3
    time_ms        INTEGER NOT NULL,
    young_passed   INTEGER NOT NULL,
    young_reviews  INTEGER NOT NULL,
    mature_passed  INTEGER NOT NULL,
    mature_reviews INTEGER NOT NULL,
    PRIMARY KEY (study_day, deck)
) WITHOUT ROWID;

INSERT INTO review_days
SELECT l.study_day, c.deck, count(*), sum(l.quality < 3), sum(l.time_taken_ms),
       sum(l.kind = 'review' AND l.interval_before < 21 AND l.quality >= 3),
       sum(l.kind = 'review' AND l.interval_before < 21),
       sum(l.kind = 'review' AND l.interval_before >= 21 AND l.quality >= 3),
       sum(l.kind = 'review' AND l.interval_before >= 21)
FROM review_log l JOIN cards c ON c.id = l.card_id
GROUP BY l.study_day, c.deck;

-- The deck counts' index also carries what the card-state counts and the ease histogram
-- read, so that they scan it instead of the cards' rows (an answer already rewrites its entry).
DROP INDEX cards_deck_counts;
CREATE INDEX cards_deck_counts
    ON cards (deck, retired, suspended, is_new, due_day, last_review_day,
              repetitions, repeat_pending, interval_days, ease);
