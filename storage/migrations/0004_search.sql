-- Gloss schema, version 4: search across the corpus (needs SQLite's FTS5:
-- build with -tags sqlite_fts5, as the Makefile does).

-- Two full-text indexes of the document texts. They are filters: they pick
-- the documents that may hold a match, and the store then finds the exact
-- code-point offsets in Go on the stored text (storage/search.go), so an
-- index never has to be right about offsets, only never to miss a document.
--
-- Both are contentless (content = ''): they keep no copy of the text, which
-- lives in document_texts alone. Their rowid is documents.seq, an INTEGER
-- PRIMARY KEY, which VACUUM keeps (document_texts' own rowid it may change).
-- contentless_delete = 1 lets the triggers below delete a row by its rowid
-- alone (SQLite 3.43 or later).
--
-- Neither keeps positions (detail = none: a third to a quarter of the
-- size): a phrase is asked for as all its words, a substring as all its
-- trigrams, and the store checks order and adjacency itself.
--
-- search_words: words (unicode61: runs of letters, digits and private-use
-- characters), case folded, diacritics removed, for words, "phrases" and
-- prefix* queries.
CREATE VIRTUAL TABLE search_words USING fts5 (
	text,
	content = '',
	contentless_delete = 1,
	detail = none,
	tokenize = 'unicode61 remove_diacritics 2'
);

-- search_trigrams: every three characters (case folded, diacritics
-- removed), for substrings and the literal parts of regular expressions:
-- parts of words and scripts without spaces (SQLite 3.45 or later).
CREATE VIRTUAL TABLE search_trigrams USING fts5 (
	text,
	content = '',
	contentless_delete = 1,
	detail = none,
	tokenize = 'trigram remove_diacritics 1'
);

-- Kept in step by triggers, so that every way a document comes in (the
-- importer, ImportDocuments, Merge, plain SQL) or goes is covered. A new
-- text is not indexed by its own statement but queued in search_pending:
-- FTS5 writes what it holds to disk at every statement savepoint, so that
-- indexing one document per statement inside a long import makes a segment
-- per document and is twenty times slower than indexing the queue in one
-- statement, which the store does before it searches (UpdateSearchIndex).
-- Until then Search reads the queued documents as candidates, so a search
-- never misses one. A document's text is inserted after its documents row
-- (its foreign key needs it).
CREATE TABLE search_pending (
	seq INTEGER PRIMARY KEY
);

CREATE TRIGGER document_texts_search_insert AFTER INSERT ON document_texts BEGIN
	INSERT OR IGNORE INTO search_pending (seq) SELECT seq FROM documents WHERE id = NEW.document_id;
END;

-- Texts are never changed, but should one be, its index rows follow.
CREATE TRIGGER document_texts_search_update AFTER UPDATE OF text ON document_texts BEGIN
	DELETE FROM search_words WHERE rowid = (SELECT seq FROM documents WHERE id = OLD.document_id);
	DELETE FROM search_trigrams WHERE rowid = (SELECT seq FROM documents WHERE id = OLD.document_id);
	INSERT OR IGNORE INTO search_pending (seq) SELECT seq FROM documents WHERE id = NEW.document_id;
END;

-- A deleted document takes its index rows with it (its text goes by the
-- foreign key's cascade, after its documents row: hence this trigger is on
-- documents). A text deleted on its own goes from the index too.
CREATE TRIGGER documents_search_delete AFTER DELETE ON documents BEGIN
	DELETE FROM search_words WHERE rowid = OLD.seq;
	DELETE FROM search_trigrams WHERE rowid = OLD.seq;
	DELETE FROM search_pending WHERE seq = OLD.seq;
END;
CREATE TRIGGER document_texts_search_delete AFTER DELETE ON document_texts BEGIN
	DELETE FROM search_words WHERE rowid = (SELECT seq FROM documents WHERE id = OLD.document_id);
	DELETE FROM search_trigrams WHERE rowid = (SELECT seq FROM documents WHERE id = OLD.document_id);
	DELETE FROM search_pending WHERE seq = (SELECT seq FROM documents WHERE id = OLD.document_id);
END;

-- The documents already there, indexed now (about 3 s for 100,000 of 500
-- characters).
INSERT INTO search_words (rowid, text)
	SELECT d.seq, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id ORDER BY d.seq;
INSERT INTO search_trigrams (rowid, text)
	SELECT d.seq, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id ORDER BY d.seq;
