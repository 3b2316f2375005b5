-- Each deck's new, repeat and due counts on study day ?1, new capped at ?2 and due at ?3
-- (past the cap a deck's count needs no more rows). The decks are found by seeking from one
-- deck name to the next (`names`); a deck with no live card is left out.
WITH RECURSIVE names (name) AS (
    SELECT min(deck) FROM cards
    UNION ALL
    SELECT (SELECT min(deck) FROM cards WHERE deck > names.name)
    FROM names WHERE names.name IS NOT NULL
)
SELECT name,
    (SELECT count(*) FROM (
        SELECT 1 FROM cards INDEXED BY cards_deck_counts
        WHERE deck = name AND retired = 0 AND suspended = 0 AND is_new = 1
          AND id NOT IN (SELECT card_id FROM buried WHERE day = ?1)
        LIMIT ?2)),
    (SELECT count(*) FROM cards INDEXED BY cards_repeat
        WHERE repeat_pending = 1 AND deck = name AND last_review_day >= ?1
          AND retired = 0 AND suspended = 0 AND is_new = 0
          AND id NOT IN (SELECT card_id FROM buried WHERE day = ?1)),
    (SELECT count(*) FROM (
        SELECT 1 FROM cards INDEXED BY cards_deck_counts
        WHERE deck = name AND retired = 0 AND suspended = 0 AND is_new = 0
          AND due_day <= ?1
          AND (last_review_day IS NULL OR last_review_day < ?1)
          AND id NOT IN (SELECT card_id FROM buried WHERE day = ?1)
        LIMIT ?3))
FROM names
WHERE name IS NOT NULL AND EXISTS (
    SELECT 1 FROM cards WHERE deck = name AND retired = 0 AND suspended = 0)
ORDER BY name;
