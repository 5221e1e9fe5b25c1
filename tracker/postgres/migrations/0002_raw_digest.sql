-- The SHA-256 of the bytes a document's last successful fetch served, so an
-- unchanged page from a server without ETag/Last-Modified is recognised
-- without extracting it again.
ALTER TABLE documents ADD COLUMN raw_sha256 text NOT NULL DEFAULT '';
