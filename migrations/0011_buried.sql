-- Cards kept out of today's study, as Anki buries them: the siblings of a card answered today
-- (cards of the same fact or list), or a card buried by hand. A row counts on its study `day`
-- only, so the cards come back the next day without anything being written.
CREATE TABLE buried (
    card_id INTEGER PRIMARY KEY REFERENCES cards (id),
    day     INTEGER NOT NULL
);
-- The cards an answer buried (a JSON array of ids; NULL for none), for undo to bring back.
ALTER TABLE review_log ADD COLUMN buried TEXT;
