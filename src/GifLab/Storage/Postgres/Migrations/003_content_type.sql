-- Schema v3: the content type of each GIF (photo | graphic | cartoon | text | pixel-art), classified from its features
-- by ContentTypeClassifier when the row is written. NULL for rows written before v3 or without features; readers then
-- classify features_json themselves (docs/content-types.md).
ALTER TABLE gifs ADD COLUMN IF NOT EXISTS content_type TEXT;
