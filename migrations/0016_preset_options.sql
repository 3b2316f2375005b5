-- A preset also holds how its decks' cards are answered, as Anki's deck options: related cards
-- buried, and the leech threshold and action. The Default preset's stay in the settings;
-- presets made before hold what the settings held.
ALTER TABLE presets ADD COLUMN bury_siblings INTEGER NOT NULL DEFAULT 1
    CHECK (bury_siblings IN (0, 1));
ALTER TABLE presets ADD COLUMN leech_threshold INTEGER NOT NULL DEFAULT 8
    CHECK (leech_threshold >= 0);
ALTER TABLE presets ADD COLUMN leech_action TEXT NOT NULL DEFAULT 'suspend'
    CHECK (leech_action IN ('suspend', 'tag_only'));
UPDATE presets SET
    bury_siblings = coalesce((
        SELECT CASE json_extract(value, '$.bury_siblings') WHEN 0 THEN 0 WHEN 1 THEN 1 END
        FROM settings WHERE key = 'settings' AND json_valid(value)), bury_siblings),
    leech_threshold = coalesce((
        SELECT CASE WHEN typeof(json_extract(value, '$.leech_threshold')) = 'integer'
                     AND json_extract(value, '$.leech_threshold') >= 0
                    THEN json_extract(value, '$.leech_threshold') END
        FROM settings WHERE key = 'settings' AND json_valid(value)), leech_threshold),
    leech_action = coalesce((
        SELECT CASE WHEN json_extract(value, '$.leech_action') IN ('suspend', 'tag_only')
                    THEN json_extract(value, '$.leech_action') END
        FROM settings WHERE key = 'settings' AND json_valid(value)), leech_action);
