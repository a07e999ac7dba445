-- Gloss schema, version 6: relations between spans, and attributes.

-- relation_types are the label set's relation types: "supports" from a
-- Figure to a Claim. args is a JSON list of the allowed [from label ID, to
-- label ID] pairs (brat's annotation.conf Arg1/Arg2); [] allows any pair.
-- A symmetric type (directed = 0) allows a pair in either order.
CREATE TABLE relation_types (
	id       TEXT PRIMARY KEY,
	set_id   TEXT NOT NULL REFERENCES label_sets (id) ON DELETE CASCADE,
	name     TEXT NOT NULL,
	color    TEXT NOT NULL,
	key      TEXT NOT NULL DEFAULT '',
	directed INTEGER NOT NULL DEFAULT 1,
	args     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(args)),
	position INTEGER NOT NULL
);
CREATE UNIQUE INDEX relation_types_set_name ON relation_types (set_id, name COLLATE NOCASE);
CREATE UNIQUE INDEX relation_types_set_key ON relation_types (set_id, key) WHERE key <> '';

-- relations link two spans of one document and one annotator (a layer).
-- A span cannot go while a relation holds it (the spans_gone trigger below
-- takes its relations with it, leaving their tombstones).
CREATE TABLE relations (
	id           TEXT PRIMARY KEY,
	document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	annotator_id TEXT NOT NULL REFERENCES annotators (id),
	type_id      TEXT NOT NULL REFERENCES relation_types (id),
	from_span    TEXT NOT NULL REFERENCES spans (id),
	to_span      TEXT NOT NULL REFERENCES spans (id),
	created      INTEGER NOT NULL,
	updated      INTEGER NOT NULL,
	revived      INTEGER NOT NULL DEFAULT 0,
	CHECK (from_span <> to_span)
);
CREATE INDEX relations_document ON relations (document_id, annotator_id);
CREATE INDEX relations_from ON relations (from_span);
CREATE INDEX relations_to ON relations (to_span);
CREATE INDEX relations_type ON relations (type_id);
CREATE UNIQUE INDEX relations_same ON relations (from_span, to_span, type_id);

-- relation_tombstones are relations that are gone, weighed by Merge as
-- span tombstones are.
CREATE TABLE relation_tombstones (
	relation_id  TEXT PRIMARY KEY,
	document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	annotator_id TEXT NOT NULL REFERENCES annotators (id),
	deleted      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX relation_tombstones_document ON relation_tombstones (document_id);

CREATE TRIGGER relations_alive AFTER INSERT ON relations BEGIN
	DELETE FROM relation_tombstones WHERE relation_id = NEW.id;
END;

-- attributes are typed values on spans of some labels, or on relations of
-- some types: kind 'choice' (one of choices, a JSON list of names), 'flag'
-- (yes/no), 'number' (within min and max when set) or 'text'. targets is
-- a JSON list of label IDs and relation type IDs; [] means every span.
-- remember: the window gives a new span the last value set.
CREATE TABLE attributes (
	id       TEXT PRIMARY KEY,
	set_id   TEXT NOT NULL REFERENCES label_sets (id) ON DELETE CASCADE,
	name     TEXT NOT NULL,
	kind     TEXT NOT NULL CHECK (kind IN ('choice', 'flag', 'number', 'text')),
	choices  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(choices)),
	min      REAL,
	max      REAL,
	targets  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(targets)),
	remember INTEGER NOT NULL DEFAULT 0,
	position INTEGER NOT NULL
);
CREATE UNIQUE INDEX attributes_set_name ON attributes (set_id, name COLLATE NOCASE);

-- attribute_values are the values set on a span or a relation (owner_id).
-- A flag that is not set, like any attribute without a value, has no row.
CREATE TABLE attribute_values (
	owner_id     TEXT NOT NULL,
	attribute_id TEXT NOT NULL REFERENCES attributes (id) ON DELETE CASCADE,
	document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	value        TEXT NOT NULL,
	updated      INTEGER NOT NULL,
	PRIMARY KEY (owner_id, attribute_id)
) WITHOUT ROWID;
CREATE INDEX attribute_values_document ON attribute_values (document_id);

-- Whatever deletes a span (an edit, undo, a label's deletion, a merge)
-- takes its relations and attribute values with it. The edits that delete
-- a span record these first (so that undo brings them back) and leave the
-- relations' tombstones at their own time; these are the backstop.
CREATE TRIGGER spans_gone BEFORE DELETE ON spans BEGIN
	INSERT INTO relation_tombstones (relation_id, document_id, annotator_id, deleted)
		SELECT id, document_id, annotator_id, CAST((julianday('now') - 2440587.5) * 86400000000000 AS INTEGER)
		FROM relations WHERE from_span = OLD.id OR to_span = OLD.id
		ON CONFLICT (relation_id) DO NOTHING;
	DELETE FROM relations WHERE from_span = OLD.id OR to_span = OLD.id;
	DELETE FROM attribute_values WHERE owner_id = OLD.id;
END;
CREATE TRIGGER relations_gone AFTER DELETE ON relations BEGIN
	DELETE FROM attribute_values WHERE owner_id = OLD.id;
END;
