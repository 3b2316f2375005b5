-- Filtered decks: saved searches to study. Cards never leave their home deck.

CREATE TABLE filtered_decks (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    query      TEXT    NOT NULL,
    card_limit INTEGER NOT NULL CHECK (card_limit > 0),
    card_order TEXT    NOT NULL,   -- due_first, random, most_lapses, lowest_ease, added
    mode       TEXT    NOT NULL CHECK (mode IN ('scheduled', 'cram'))
);

-- Built in, editable and deletable.
INSERT INTO filtered_decks (name, query, card_limit, card_order, mode) VALUES
    ('Instance families', 'tag:instance-family', 100, 'due_first', 'cram'),
    ('Failed this week', 'rated:7:1', 100, 'due_first', 'scheduled');
