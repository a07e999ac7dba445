-- Gloss schema, version 3: deletions that survive a merge.

-- tombstones are spans that are gone: deleted here (a delete_span edit, the
-- undo of a create, a merge, the deletion of their label) or in a merged
-- file. Merge weighs a tombstone against the other file's span of that ID:
-- the span is deleted (or not taken) unless it was updated or revived after
-- the deletion. What the span was is not kept here: the undo history holds
-- it. A span that exists has no tombstone (spans_alive below sees to it).
CREATE TABLE tombstones (
	span_id      TEXT PRIMARY KEY,
	document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	annotator_id TEXT NOT NULL REFERENCES annotators (id),
	deleted      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX tombstones_document ON tombstones (document_id);

-- revived is when the span last came back by undo or redo after it was
-- deleted (0: never). It is not the span's content (Updated is, and undo
-- restores it exactly): it is what makes a span brought back at T2 win over
-- a tombstone of T1 < T2 that another file holds. Merge keeps the later of
-- the two files' values.
ALTER TABLE spans ADD COLUMN revived INTEGER NOT NULL DEFAULT 0;
-- Few spans are revived; Merge reads those of the other file by this.
CREATE INDEX spans_revived ON spans (revived) WHERE revived > 0;

-- Whatever inserts a span (an edit, undo, redo, merge, import) ends its
-- tombstone.
CREATE TRIGGER spans_alive AFTER INSERT ON spans BEGIN
	DELETE FROM tombstones WHERE span_id = NEW.id;
END;
