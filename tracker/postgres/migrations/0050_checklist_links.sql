-- One open item per document and concern (PostgreSQL form of
-- tracker/sqlite/migrations/0050): a later change that raises the same
-- concern as an open item links to it instead of adding another.
CREATE TABLE checklist_links (
    item_id   bigint NOT NULL REFERENCES checklist_items(id),
    change_id bigint NOT NULL REFERENCES changes(id),
    linked_at timestamptz NOT NULL,
    PRIMARY KEY (item_id, change_id)
);
CREATE INDEX checklist_links_change ON checklist_links(change_id);
