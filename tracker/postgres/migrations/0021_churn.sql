-- A document whose page changes on every request: the volatile spans seen
-- and a suggested remove selector, as JSON ('' when none was seen).
ALTER TABLE documents ADD COLUMN churn text NOT NULL DEFAULT '';
