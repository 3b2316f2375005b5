-- What the Anki sync server held after the last sync, as far as a normal (incremental) sync
-- needs it: the ids of its cards, notes and answers (ours mapped to our cards), what each of
-- our cards and notes was when last synced (a digest), and its note types, decks and deck
-- options (by id and name). The server's sanity check compares these counts with its own.
CREATE TABLE anki_sync_cards (
    id      INTEGER PRIMARY KEY,   -- Anki's card id
    nid     INTEGER NOT NULL,
    card_id INTEGER,               -- ours, or NULL for a card of the learner's own
    digest  INTEGER NOT NULL
);
CREATE INDEX anki_sync_cards_ours ON anki_sync_cards (card_id) WHERE card_id IS NOT NULL;
CREATE INDEX anki_sync_cards_note ON anki_sync_cards (nid);
CREATE TABLE anki_sync_notes (
    id     INTEGER PRIMARY KEY,    -- Anki's note id
    guid   TEXT    NOT NULL,
    digest INTEGER NOT NULL
);
CREATE TABLE anki_sync_revlog (id INTEGER PRIMARY KEY);
CREATE TABLE anki_sync_objects (
    kind TEXT    NOT NULL CHECK (kind IN ('notetype', 'deck', 'deck_config')),
    id   INTEGER NOT NULL,
    name TEXT    NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

-- Our cards changed since the last sync (their state, content, deck, flag or answers), once a
-- sync has recorded what the server holds: what the next normal sync sends.
CREATE TABLE anki_sync_pending (card_id INTEGER PRIMARY KEY);
CREATE TRIGGER anki_sync_card_added AFTER INSERT ON cards
WHEN EXISTS (SELECT 1 FROM anki_sync_notes)
BEGIN
    INSERT OR IGNORE INTO anki_sync_pending VALUES (NEW.id);
END;
CREATE TRIGGER anki_sync_card_changed AFTER UPDATE ON cards
WHEN EXISTS (SELECT 1 FROM anki_sync_notes)
BEGIN
    INSERT OR IGNORE INTO anki_sync_pending VALUES (NEW.id);
END;
CREATE TRIGGER anki_sync_answer_removed AFTER DELETE ON review_log
WHEN EXISTS (SELECT 1 FROM anki_sync_notes)
BEGIN
    INSERT OR IGNORE INTO anki_sync_pending VALUES (OLD.card_id);
END;
