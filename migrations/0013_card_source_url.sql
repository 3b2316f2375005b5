-- The address of the page a card's fact was checked on (its title is `source`): a link the
-- learner can open from Card info and Browse.
ALTER TABLE cards ADD COLUMN source_url TEXT;
