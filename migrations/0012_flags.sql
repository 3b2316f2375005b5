-- A flag of the learner's on a card, as in Anki: 0 none, 1 red, 2 orange, 3 green, 4 blue
-- (`flag:N` in searches; Ctrl+1…4 in the review screen).
ALTER TABLE cards ADD COLUMN flag INTEGER NOT NULL DEFAULT 0;
