-- Where each card's fact comes from (a line of the study notes, or the AWS documentation page
-- that corrects or extends it), shown in Card info so that a learner can check a card.

ALTER TABLE cards ADD COLUMN source TEXT;
