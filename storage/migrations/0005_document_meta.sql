-- Gloss schema, version 5: what an imported web page says of itself.

-- byline, published (as the page writes the date) and site name of an
-- article read from HTML; '' when unknown. Shared by everyone, never
-- offsets.
ALTER TABLE documents ADD COLUMN byline TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN published TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN site TEXT NOT NULL DEFAULT '';
