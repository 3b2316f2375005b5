PRAGMA application_id = 1635218275; -- "awsc": tells awscards collections from other SQLite files

-- The collection: generated cards with their SM-2 state, the review log and settings.
-- Days are study days, stored as days since 1970-01-01 (after the rollover hour shift).

CREATE TABLE cards (
    id              INTEGER PRIMARY KEY,
    key             TEXT    NOT NULL UNIQUE,   -- from the fact and card kind, never the text
    deck            TEXT    NOT NULL,          -- '::' separated path
    front           TEXT    NOT NULL,
    back            TEXT    NOT NULL,
    note            TEXT,
    tags            TEXT    NOT NULL,          -- space separated
    position        INTEGER NOT NULL,          -- order in which new cards are introduced
    added_day       INTEGER NOT NULL,
    retired         INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    suspended       INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
    -- SM-2 state
    is_new          INTEGER NOT NULL DEFAULT 1 CHECK (is_new IN (0, 1)),
    repetitions     INTEGER NOT NULL DEFAULT 0,
    ease            REAL    NOT NULL DEFAULT 2.5,
    interval_days   INTEGER NOT NULL DEFAULT 0,
    due_day         INTEGER,                   -- NULL while new
    lapses          INTEGER NOT NULL DEFAULT 0,
    last_review_day INTEGER,
    repeat_pending  INTEGER NOT NULL DEFAULT 0 CHECK (repeat_pending IN (0, 1))
);

CREATE INDEX cards_deck ON cards (deck);
CREATE INDEX cards_due ON cards (is_new, due_day);

-- Every answer. The state before the answer is kept whole so that undo restores it exactly.
CREATE TABLE review_log (
    id                     INTEGER PRIMARY KEY,
    card_id                INTEGER NOT NULL REFERENCES cards (id),
    reviewed_at            TEXT    NOT NULL,   -- RFC 3339, local time with offset
    study_day              INTEGER NOT NULL,
    quality                INTEGER NOT NULL CHECK (quality BETWEEN 0 AND 5),
    kind                   TEXT    NOT NULL CHECK (kind IN ('new', 'review', 'repeat', 'cram')),
    time_taken_ms          INTEGER NOT NULL,
    ease_before            REAL    NOT NULL,
    ease_after             REAL    NOT NULL,
    interval_before        INTEGER NOT NULL,
    interval_after         INTEGER NOT NULL,
    repetitions_before     INTEGER NOT NULL,
    due_day_before         INTEGER,
    lapses_before          INTEGER NOT NULL,
    is_new_before          INTEGER NOT NULL,
    last_review_day_before INTEGER,
    repeat_pending_before  INTEGER NOT NULL
);

CREATE INDEX review_log_card ON review_log (card_id, id);
CREATE INDEX review_log_day ON review_log (study_day, kind);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
