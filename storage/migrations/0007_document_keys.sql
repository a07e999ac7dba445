-- Gloss schema, version 7: the document list read page by page.

-- document_keys holds what the document filter matches, one row per
-- document: its title and file name case folded by the store (Go's
-- Unicode folding, which SQLite's lower() lacks: it folds ASCII only), so
-- that filtering a million documents is one scan of this narrow table and
-- never reads a title into the program. The store writes it; plain SQL and
-- other programs need not know it exists: a document that comes in or is
-- renamed any other way is queued in document_keys_pending by the triggers
-- below, and the store folds the queue before it filters.
CREATE TABLE document_keys (
	seq INTEGER PRIMARY KEY REFERENCES documents (seq) ON DELETE CASCADE,
	key TEXT NOT NULL
);

CREATE TABLE document_keys_pending (
	seq INTEGER PRIMARY KEY
);

CREATE TRIGGER documents_keys_insert AFTER INSERT ON documents BEGIN
	INSERT OR IGNORE INTO document_keys_pending (seq) VALUES (NEW.seq);
END;
CREATE TRIGGER documents_keys_update AFTER UPDATE OF title, file_name ON documents BEGIN
	INSERT OR IGNORE INTO document_keys_pending (seq) VALUES (NEW.seq);
END;
CREATE TRIGGER documents_keys_delete AFTER DELETE ON documents BEGIN
	DELETE FROM document_keys_pending WHERE seq = OLD.seq;
END;

-- Every document there is goes into the queue once.
INSERT INTO document_keys_pending (seq) SELECT seq FROM documents;
