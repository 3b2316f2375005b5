-- Leeches: a card whose lapses reach the leech threshold is marked a leech (`is:leech`, the tag
-- `leech` in exports) and, by default, suspended. The answer that did it records what it did
-- (1: marked it a leech, 2: suspended it; both bits when both), so that undo takes it back.
ALTER TABLE cards ADD COLUMN leech INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_log ADD COLUMN made_leech INTEGER NOT NULL DEFAULT 0;
