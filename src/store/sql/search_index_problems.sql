-- The cards whose entry in the full-text index (`cards_text`) or the tag rows (`card_tags`)
-- is missing, stale, or has no card: what the cards say, computed again, against what the
-- indexes hold, both ways.
WITH RECURSIVE
split (card_id, tag, rest) AS (
    SELECT id, '', tags || ' ' FROM cards
    UNION ALL
    SELECT card_id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM split WHERE rest <> ''
),
listed (tag, card_id) AS (SELECT tag, card_id FROM split WHERE tag <> ''),
folded AS MATERIALIZED (SELECT id, aw_fold(front), aw_fold(back) FROM cards)
SELECT id FROM (
    SELECT * FROM folded EXCEPT SELECT rowid, front, back FROM cards_text)
UNION
SELECT rowid FROM (
    SELECT rowid, front, back FROM cards_text EXCEPT SELECT * FROM folded)
UNION
SELECT card_id FROM (SELECT * FROM listed EXCEPT SELECT tag, card_id FROM card_tags)
UNION
SELECT card_id FROM (SELECT tag, card_id FROM card_tags EXCEPT SELECT * FROM listed)
ORDER BY 1;
