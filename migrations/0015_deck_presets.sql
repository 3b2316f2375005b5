-- Deck options presets, as Anki's: a named set of daily limits, given to decks. A deck with no
-- row in deck_presets has the Default preset (the settings' limits). A deck's limits hold for
-- it and its subdecks together.
CREATE TABLE presets (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    new_per_day     INTEGER NOT NULL CHECK (new_per_day >= 0),
    reviews_per_day INTEGER NOT NULL CHECK (reviews_per_day >= 0)
);
CREATE TABLE deck_presets (
    deck      TEXT    PRIMARY KEY,
    preset_id INTEGER NOT NULL REFERENCES presets (id) ON DELETE CASCADE
);
