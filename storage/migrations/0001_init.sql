-- Gloss schema, version 1.
-- Times are Unix nanoseconds (UTC). IDs are UUIDv7 text.
-- Span offsets are Unicode code points into the document text, end exclusive.

CREATE TABLE annotators (
	id      TEXT PRIMARY KEY,
	name    TEXT NOT NULL UNIQUE,
	created INTEGER NOT NULL
);

CREATE TABLE label_sets (
	id   TEXT PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE labels (
	id       TEXT PRIMARY KEY,
	set_id   TEXT NOT NULL REFERENCES label_sets (id) ON DELETE CASCADE,
	name     TEXT NOT NULL,
	color    TEXT NOT NULL,
	key      TEXT NOT NULL DEFAULT '',
	position INTEGER NOT NULL
);
-- Backstops for the store's own (Unicode case-insensitive) checks.
CREATE UNIQUE INDEX labels_set_name ON labels (set_id, name COLLATE NOCASE);
CREATE UNIQUE INDEX labels_set_key ON labels (set_id, key) WHERE key <> '';

-- documents holds what the document list needs; the texts live in
-- document_texts so that listing 100,000 documents never reads one.
-- seq is the import order (an INTEGER PRIMARY KEY survives VACUUM).
CREATE TABLE documents (
	seq         INTEGER PRIMARY KEY,
	id          TEXT NOT NULL UNIQUE,
	title       TEXT NOT NULL,
	file_name   TEXT NOT NULL DEFAULT '',
	format      TEXT NOT NULL DEFAULT '',
	sha256      TEXT NOT NULL UNIQUE,
	length      INTEGER NOT NULL,
	imported_at INTEGER NOT NULL
);

CREATE TABLE document_texts (
	document_id TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
	text        TEXT NOT NULL
);

CREATE TABLE spans (
	id           TEXT PRIMARY KEY,
	document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	annotator_id TEXT NOT NULL REFERENCES annotators (id),
	label_id     TEXT NOT NULL REFERENCES labels (id),
	start        INTEGER NOT NULL CHECK (start >= 0),
	"end"        INTEGER NOT NULL CHECK ("end" > start),
	text         TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	created      INTEGER NOT NULL,
	updated      INTEGER NOT NULL
);
-- Serves "spans of a document (and annotator) by start" and makes the same
-- label on the same extent by the same annotator impossible twice.
CREATE UNIQUE INDEX spans_extent ON spans (document_id, annotator_id, start, "end", label_id);
CREATE INDEX spans_label ON spans (label_id);

CREATE TABLE document_status (
	document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	annotator_id TEXT NOT NULL REFERENCES annotators (id),
	status       TEXT NOT NULL CHECK (status IN ('todo', 'in_progress', 'done', 'reviewed')),
	updated      INTEGER NOT NULL,
	PRIMARY KEY (document_id, annotator_id)
) WITHOUT ROWID;

-- edits is the undo history, one linear history per (annotator, document).
-- payload is JSON with the span (or status) before and after the edit.
-- undone = 1 marks the redo entries; they always follow the others.
CREATE TABLE edits (
	seq          INTEGER PRIMARY KEY AUTOINCREMENT,
	annotator_id TEXT NOT NULL REFERENCES annotators (id),
	document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	kind         TEXT NOT NULL,
	span_id      TEXT NOT NULL DEFAULT '',
	payload      TEXT NOT NULL CHECK (json_valid(payload)),
	undone       INTEGER NOT NULL DEFAULT 0,
	created      INTEGER NOT NULL
);
CREATE INDEX edits_history ON edits (annotator_id, document_id, undone, seq);
CREATE INDEX edits_span ON edits (span_id);
