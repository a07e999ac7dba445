-- Gloss on PostgreSQL, version 7: many rows at once (a merge, an import of
-- thousands of documents) without a cost per row where there need be none.
--
-- A statement that changes a layer's rows in many documents tells each layer
-- once, with no document_id and the number of documents in "documents", for
-- example
--   {"table": "spans", "op": "insert", "document_id": null, "annotator_id": "…",
--    "count": 100000, "documents": 10000, ...}
-- rather than once a document: ten thousand notifications took the server
-- 0.8 s to send, and every listening window as long to read. Up to
-- gloss_notify_documents() documents, each is told as before.
CREATE FUNCTION gloss_notify_documents() RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$ SELECT 50::bigint $$;

CREATE FUNCTION gloss_notify_many(tab TEXT, op TEXT, annotator TEXT, n BIGINT, docs BIGINT) RETURNS void
	LANGUAGE sql SET search_path = public, pg_temp AS $$
	SELECT pg_notify('gloss', json_build_object(
		'table', tab, 'op', lower(op), 'document_id', NULL, 'annotator_id', annotator,
		'annotator', (SELECT name FROM annotators WHERE id = annotator), 'count', n, 'documents', docs,
		'by_id', gloss_me(), 'by', (SELECT name FROM annotators WHERE id = gloss_me()),
		'n', nextval('gloss_notify_seq'))::text)
$$;

CREATE OR REPLACE FUNCTION gloss_notify() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
	r RECORD;
	docs BIGINT;
BEGIN
	IF TG_OP = 'DELETE' THEN
		SELECT count(DISTINCT document_id) INTO docs FROM old_rows;
		IF docs > gloss_notify_documents() THEN
			FOR r IN SELECT annotator_id, count(*) AS n, count(DISTINCT document_id) AS d FROM old_rows GROUP BY 1 LOOP
				PERFORM gloss_notify_many(TG_TABLE_NAME, TG_OP, r.annotator_id, r.n, r.d);
			END LOOP;
		ELSE
			FOR r IN SELECT document_id, annotator_id, count(*) AS n FROM old_rows GROUP BY 1, 2 LOOP
				PERFORM gloss_notify_one(TG_TABLE_NAME, TG_OP, r.document_id, r.annotator_id, r.n);
			END LOOP;
		END IF;
	ELSE
		SELECT count(DISTINCT document_id) INTO docs FROM new_rows;
		IF docs > gloss_notify_documents() THEN
			FOR r IN SELECT annotator_id, count(*) AS n, count(DISTINCT document_id) AS d FROM new_rows GROUP BY 1 LOOP
				PERFORM gloss_notify_many(TG_TABLE_NAME, TG_OP, r.annotator_id, r.n, r.d);
			END LOOP;
		ELSE
			FOR r IN SELECT document_id, annotator_id, count(*) AS n FROM new_rows GROUP BY 1, 2 LOOP
				PERFORM gloss_notify_one(TG_TABLE_NAME, TG_OP, r.document_id, r.annotator_id, r.n);
			END LOOP;
		END IF;
	END IF;
	RETURN NULL;
END $$;

-- And a span or relation inserted ends its tombstone once a statement rather
-- than once a row (0001's spans_alive, relations_alive): a merge of 100,000
-- spans spent 0.4 s in the row triggers. The IDs are looked up in the
-- tombstones' index (= ANY of an array), so that a label key's one-row
-- insert never scans them.
DROP TRIGGER spans_alive ON spans;
DROP TRIGGER relations_alive ON relations;
DROP FUNCTION gloss_span_alive();
DROP FUNCTION gloss_relation_alive();

CREATE FUNCTION gloss_spans_alive() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
	DELETE FROM tombstones WHERE span_id = ANY (ARRAY(SELECT id FROM new_rows));
	RETURN NULL;
END $$;
CREATE TRIGGER spans_alive AFTER INSERT ON spans
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_spans_alive();

CREATE FUNCTION gloss_relations_alive() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
	DELETE FROM relation_tombstones WHERE relation_id = ANY (ARRAY(SELECT id FROM new_rows));
	RETURN NULL;
END $$;
CREATE TRIGGER relations_alive AFTER INSERT ON relations
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_relations_alive();
