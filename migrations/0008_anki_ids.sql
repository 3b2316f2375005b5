-- Each answer's id in Anki's review log (its time in ms, made unique), given when the answer is
-- first exported to an Anki package or imported from one: a later import recognises the
-- answers it already holds by it, so that nothing is counted twice.
ALTER TABLE review_log ADD COLUMN anki_id INTEGER;
CREATE UNIQUE INDEX review_log_anki ON review_log (anki_id) WHERE anki_id IS NOT NULL;
