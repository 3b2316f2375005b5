-- FSRS's memory state of each card (stability in days, difficulty 1-10) while FSRS schedules
-- it, 0 while SM-2 does; and the state before each answer, so that undo restores it.
ALTER TABLE cards ADD COLUMN stability REAL NOT NULL DEFAULT 0;
ALTER TABLE cards ADD COLUMN difficulty REAL NOT NULL DEFAULT 0;
ALTER TABLE review_log ADD COLUMN stability_before REAL NOT NULL DEFAULT 0;
ALTER TABLE review_log ADD COLUMN difficulty_before REAL NOT NULL DEFAULT 0;

-- When a card was made new again (Browse > Reset): a card's state is the replay of its answers
-- since its last reset, which is what a change of scheduler or an import replays.
CREATE TABLE card_resets (
    id       INTEGER PRIMARY KEY,
    card_id  INTEGER NOT NULL REFERENCES cards (id),
    reset_at TEXT    NOT NULL   -- RFC 3339, local time with offset
);
CREATE INDEX card_resets_card ON card_resets (card_id);
