-- Gloss schema, version 2: assisted annotation.

-- suggestions are proposed spans, never annotations: a pattern file, a word
-- list, the analyst's own labels as a dictionary, the learned tagger, or
-- predictions imported from another tool. They belong to the annotator
-- whose layer they are for, are replaced whole per (annotator, source) when
-- a source runs again, and are not merged between databases.
CREATE TABLE suggestions (
	id            TEXT PRIMARY KEY,
	document_id   TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	annotator_id  TEXT NOT NULL REFERENCES annotators (id),
	label_id      TEXT NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
	start         INTEGER NOT NULL CHECK (start >= 0),
	"end"         INTEGER NOT NULL CHECK ("end" > start),
	text          TEXT NOT NULL,
	score         REAL NOT NULL CHECK (score >= 0 AND score <= 1),
	source        TEXT NOT NULL,
	rule          TEXT NOT NULL DEFAULT '',
	model_version TEXT NOT NULL DEFAULT '',
	created       INTEGER NOT NULL
);
CREATE UNIQUE INDEX suggestions_extent ON suggestions (document_id, annotator_id, source, start, "end", label_id);
CREATE INDEX suggestions_source ON suggestions (annotator_id, source);

-- rejections are suggestions an analyst turned down: that label on that
-- extent is never suggested to them on that document again, and the
-- tagger learns from it. Rejecting is an undoable edit.
CREATE TABLE rejections (
	id           TEXT PRIMARY KEY,
	document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	annotator_id TEXT NOT NULL REFERENCES annotators (id),
	label_id     TEXT NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
	start        INTEGER NOT NULL,
	"end"        INTEGER NOT NULL,
	created      INTEGER NOT NULL
);
CREATE UNIQUE INDEX rejections_extent ON rejections (document_id, annotator_id, start, "end", label_id);

-- models are trained suggestion sources (the tagger), one row per version.
CREATE TABLE models (
	id           TEXT PRIMARY KEY,
	annotator_id TEXT NOT NULL REFERENCES annotators (id),
	kind         TEXT NOT NULL,
	version      INTEGER NOT NULL,
	data         BLOB NOT NULL,
	summary      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(summary)),
	created      INTEGER NOT NULL,
	UNIQUE (annotator_id, kind, version)
);

-- spans made by accepting a suggestion say which one and from what model.
ALTER TABLE spans ADD COLUMN suggestion TEXT NOT NULL DEFAULT '';
