-- How a document is captured: 'http' (fetched as served), 'browser' (rendered
-- in headless Chromium), or 'auto' (HTTP first, the browser when the result is
-- empty, a script shell or a bot wall).
ALTER TABLE documents ADD COLUMN render text NOT NULL DEFAULT 'auto'
    CHECK (render IN ('auto', 'http', 'browser'));
-- How a version's raw bytes were obtained: 'http' (the bytes as served) or
-- 'browser' (the page's DOM after its scripts ran); '' for imported texts.
ALTER TABLE versions ADD COLUMN captured_with text NOT NULL DEFAULT '';
