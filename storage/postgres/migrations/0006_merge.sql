-- Gloss on PostgreSQL, version 6: where gloss merge puts a SQLite file's rows
-- while it weighs them against the server's (storage.Store.Merge).
--
-- On SQLite the merge attaches the other file and keeps its ID maps in
-- temporary tables. Analysts may not make temporary tables here (0002), so
-- the server has these instead: the other file's tables that the merge joins
-- with the server's (the few it reads alone are read from the file), and the
-- maps. A merge fills them inside its own transaction and empties them
-- before it commits, so no other session ever sees a row of them; merges
-- take turns (an advisory lock), since they share the tables. UNLOGGED: what
-- is in them is a copy of a file, not worth a write-ahead log.
CREATE SCHEMA gloss_merge;

CREATE UNLOGGED TABLE gloss_merge.documents (
	seq    BIGINT NOT NULL,
	id     TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	length BIGINT NOT NULL
);

CREATE UNLOGGED TABLE gloss_merge.spans (
	id           TEXT NOT NULL,
	document_id  TEXT NOT NULL,
	annotator_id TEXT NOT NULL,
	label_id     TEXT NOT NULL,
	start        BIGINT NOT NULL,
	"end"        BIGINT NOT NULL,
	text         TEXT NOT NULL,
	note         TEXT NOT NULL,
	created      BIGINT NOT NULL,
	updated      BIGINT NOT NULL,
	revived      BIGINT NOT NULL
);
CREATE INDEX ON gloss_merge.spans (id);

CREATE UNLOGGED TABLE gloss_merge.tombstones (
	span_id      TEXT NOT NULL,
	document_id  TEXT NOT NULL,
	annotator_id TEXT NOT NULL,
	deleted      BIGINT NOT NULL
);

CREATE UNLOGGED TABLE gloss_merge.document_status (
	document_id  TEXT NOT NULL,
	annotator_id TEXT NOT NULL,
	status       TEXT NOT NULL,
	updated      BIGINT NOT NULL
);

CREATE UNLOGGED TABLE gloss_merge.relations (
	id           TEXT NOT NULL,
	document_id  TEXT NOT NULL,
	annotator_id TEXT NOT NULL,
	type_id      TEXT NOT NULL,
	from_span    TEXT NOT NULL,
	to_span      TEXT NOT NULL,
	created      BIGINT NOT NULL,
	updated      BIGINT NOT NULL,
	revived      BIGINT NOT NULL
);
CREATE INDEX ON gloss_merge.relations (id);

CREATE UNLOGGED TABLE gloss_merge.relation_tombstones (
	relation_id  TEXT NOT NULL,
	document_id  TEXT NOT NULL,
	annotator_id TEXT NOT NULL,
	deleted      BIGINT NOT NULL
);

CREATE UNLOGGED TABLE gloss_merge.attribute_values (
	owner_id     TEXT NOT NULL,
	attribute_id TEXT NOT NULL,
	document_id  TEXT NOT NULL,
	value        TEXT NOT NULL,
	updated      BIGINT NOT NULL
);

-- The maps: the other file's ID -> the server's.
CREATE UNLOGGED TABLE gloss_merge.merge_docs (other_id TEXT PRIMARY KEY, our_id TEXT NOT NULL);
CREATE UNLOGGED TABLE gloss_merge.merge_annotators (other_id TEXT PRIMARY KEY, our_id TEXT NOT NULL);
CREATE UNLOGGED TABLE gloss_merge.merge_labels (other_id TEXT PRIMARY KEY, our_id TEXT NOT NULL);
CREATE UNLOGGED TABLE gloss_merge.merge_reltypes (other_id TEXT PRIMARY KEY, our_id TEXT NOT NULL);
CREATE UNLOGGED TABLE gloss_merge.merge_attrs (other_id TEXT PRIMARY KEY, our_id TEXT NOT NULL);
CREATE UNLOGGED TABLE gloss_merge.merge_tombstones (
	span_id      TEXT PRIMARY KEY,
	document_id  TEXT NOT NULL,
	annotator_id TEXT NOT NULL,
	deleted      BIGINT NOT NULL
);
CREATE UNLOGGED TABLE gloss_merge.merge_revived (span_id TEXT PRIMARY KEY, revived BIGINT NOT NULL);

-- Any analyst may merge; what the merge writes into the server's tables is
-- bound by their rights there (0002) like any other write.
GRANT USAGE ON SCHEMA gloss_merge TO gloss_analyst;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA gloss_merge TO gloss_analyst;
