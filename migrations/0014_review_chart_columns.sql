-- The charts Anki users look for beside the calendar, kept in the per-day summary so that a
-- deck's statistics still never read the log: each day and deck's answers by what the card
-- was (learning: a new card's first answer or a same-day repeat; young; mature: by the
-- interval before, from 21 days) and grade 0-5 (`g_l0` ... `g_m5`; cram answers in none), and
-- answers and passed answers (quality 3 or more) by the local hour they were given
-- (`h00` ... `h23`, `p00` ... `p23`, from the RFC 3339 time's hour). The store defines the same
-- sums in src/store/summary.rs, which keeps them answer by answer; here they are filled in
-- once for the log so far.

ALTER TABLE review_days ADD COLUMN g_l0 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_l1 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_l2 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_l3 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_l4 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_l5 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_y0 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_y1 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_y2 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_y3 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_y4 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_y5 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_m0 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_m1 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_m2 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_m3 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_m4 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN g_m5 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h00 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h01 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h02 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h03 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h04 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h05 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h06 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h07 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h08 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h09 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h10 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h11 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h12 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h13 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h14 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h15 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h16 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h17 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h18 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h19 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h20 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h21 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h22 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN h23 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p00 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p01 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p02 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p03 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p04 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p05 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p06 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p07 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p08 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p09 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p10 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p11 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p12 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p13 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p14 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p15 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p16 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p17 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p18 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p19 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p20 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p21 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p22 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_days ADD COLUMN p23 INTEGER NOT NULL DEFAULT 0;

DELETE FROM review_days;
INSERT INTO review_days (study_day, deck, answers, again, time_ms, young_passed, young_reviews, mature_passed, mature_reviews, g_l0, g_l1, g_l2, g_l3, g_l4, g_l5, g_y0, g_y1, g_y2, g_y3, g_y4, g_y5, g_m0, g_m1, g_m2, g_m3, g_m4, g_m5, h00, h01, h02, h03, h04, h05, h06, h07, h08, h09, h10, h11, h12, h13, h14, h15, h16, h17, h18, h19, h20, h21, h22, h23, p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23)
SELECT l.study_day,
       c.deck,
       count(*),
       sum(l.quality < 3),
       sum(min(max(l.time_taken_ms, 0), 86400000)),
       sum(l.kind = 'review' AND l.interval_before < 21 AND l.quality >= 3),
       sum(l.kind = 'review' AND l.interval_before < 21),
       sum(l.kind = 'review' AND l.interval_before >= 21 AND l.quality >= 3),
       sum(l.kind = 'review' AND l.interval_before >= 21),
       sum(l.kind IN ('new', 'repeat') AND l.quality = 0),
       sum(l.kind IN ('new', 'repeat') AND l.quality = 1),
       sum(l.kind IN ('new', 'repeat') AND l.quality = 2),
       sum(l.kind IN ('new', 'repeat') AND l.quality = 3),
       sum(l.kind IN ('new', 'repeat') AND l.quality = 4),
       sum(l.kind IN ('new', 'repeat') AND l.quality = 5),
       sum(l.kind = 'review' AND l.interval_before < 21 AND l.quality = 0),
       sum(l.kind = 'review' AND l.interval_before < 21 AND l.quality = 1),
       sum(l.kind = 'review' AND l.interval_before < 21 AND l.quality = 2),
       sum(l.kind = 'review' AND l.interval_before < 21 AND l.quality = 3),
       sum(l.kind = 'review' AND l.interval_before < 21 AND l.quality = 4),
       sum(l.kind = 'review' AND l.interval_before < 21 AND l.quality = 5),
       sum(l.kind = 'review' AND l.interval_before >= 21 AND l.quality = 0),
       sum(l.kind = 'review' AND l.interval_before >= 21 AND l.quality = 1),
       sum(l.kind = 'review' AND l.interval_before >= 21 AND l.quality = 2),
       sum(l.kind = 'review' AND l.interval_before >= 21 AND l.quality = 3),
       sum(l.kind = 'review' AND l.interval_before >= 21 AND l.quality = 4),
       sum(l.kind = 'review' AND l.interval_before >= 21 AND l.quality = 5),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 0),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 1),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 2),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 4),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 5),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 6),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 7),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 8),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 9),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 10),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 11),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 12),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 13),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 14),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 15),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 16),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 17),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 18),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 19),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 20),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 21),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 22),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 23),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 0 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 1 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 2 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 3 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 4 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 5 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 6 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 7 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 8 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 9 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 10 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 11 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 12 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 13 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 14 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 15 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 16 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 17 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 18 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 19 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 20 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 21 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 22 AND l.quality >= 3),
       sum(CAST(substr(l.reviewed_at, 12, 2) AS INTEGER) = 23 AND l.quality >= 3)
FROM review_log l JOIN cards c ON c.id = l.card_id
GROUP BY l.study_day, c.deck;

-- The deck counts' index also carries the day a card was added (the Cards added chart), so
-- that the statistics' pass over the cards still reads the index alone.
DROP INDEX cards_deck_counts;
CREATE INDEX cards_deck_counts
    ON cards (deck, retired, suspended, is_new, due_day, last_review_day,
              repetitions, repeat_pending, interval_days, ease, added_day);
