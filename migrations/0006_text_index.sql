-- The full-text index of every card (retired ones too): its text folded as the matchers
-- compare it (aw_fold: a function every awscards connection registers), split into
-- trigrams. A search asks it for the trigrams of its words, then checks the few cards it
-- returns exactly. The sync, the one writer of card text, keeps it in the same transaction
-- as the cards (not triggers: a trigger flushes FTS5's pending rows at every card, 4x slower
-- at 100 000 cards).
CREATE VIRTUAL TABLE cards_text USING fts5(
    front, back,
    tokenize = 'trigram case_sensitive 1',
    detail = column
);

INSERT INTO cards_text (rowid, front, back)
    SELECT id, aw_fold(front), aw_fold(back) FROM cards;

-- Each card's tags, one row each: a tag: search matches the tag names and reads the cards
-- that have them from here. Kept by the sync too.
CREATE TABLE card_tags (
    tag     TEXT    NOT NULL,
    card_id INTEGER NOT NULL REFERENCES cards (id),
    PRIMARY KEY (tag, card_id)
) WITHOUT ROWID;
CREATE INDEX card_tags_card ON card_tags (card_id);

WITH RECURSIVE split (card_id, tag, rest) AS (
    SELECT id, '', tags || ' ' FROM cards
    UNION ALL
    SELECT card_id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM split WHERE rest <> ''
)
INSERT OR IGNORE INTO card_tags (tag, card_id)
    SELECT tag, card_id FROM split WHERE tag <> '';

-- Every live card in introduction order, without reading the cards: what a search that
-- matches the whole collection (deck:AWS*) returns.
CREATE INDEX cards_position ON cards (retired, position);

-- The queue's covering index also answers "is:due" searches in introduction order.
DROP INDEX cards_queue;
CREATE INDEX cards_queue
    ON cards (is_new, due_day, retired, suspended, last_review_day, deck, position);

-- The log by day also answers which cards were answered (and how) in the last days
-- (rated:7:1, the "Failed this week" deck the deck list counts at start) and today's counts,
-- without reading the log's rows.
DROP INDEX review_log_day;
CREATE INDEX review_log_day ON review_log (study_day, kind, quality, card_id);
