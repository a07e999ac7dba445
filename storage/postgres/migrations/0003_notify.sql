-- Gloss on PostgreSQL, version 3: changes told to every listening window.
--
-- After each statement that changes spans, one notification on the channel
-- gloss per document and annotator it touched, sent at commit (NOTIFY is
-- transactional: a rolled-back change tells nobody), for example
--   {"table": "spans", "op": "insert", "document_id": "…", "annotator_id": "…",
--    "annotator": "Ann", "count": 3}
-- One per statement, not per row, so a large import stays a few messages.
-- The function serves any table with document_id and annotator_id; only
-- spans has the triggers so far.
CREATE FUNCTION gloss_notify() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
	r RECORD;
BEGIN
	IF TG_OP = 'DELETE' THEN
		FOR r IN SELECT document_id, annotator_id, count(*) AS n FROM old_rows GROUP BY 1, 2 LOOP
			PERFORM gloss_notify_one(TG_TABLE_NAME, TG_OP, r.document_id, r.annotator_id, r.n);
		END LOOP;
	ELSE
		FOR r IN SELECT document_id, annotator_id, count(*) AS n FROM new_rows GROUP BY 1, 2 LOOP
			PERFORM gloss_notify_one(TG_TABLE_NAME, TG_OP, r.document_id, r.annotator_id, r.n);
		END LOOP;
	END IF;
	RETURN NULL;
END $$;

CREATE FUNCTION gloss_notify_one(tab TEXT, op TEXT, doc TEXT, annotator TEXT, n BIGINT) RETURNS void
	LANGUAGE sql SET search_path = public, pg_temp AS $$
	SELECT pg_notify('gloss', json_build_object(
		'table', tab, 'op', lower(op), 'document_id', doc, 'annotator_id', annotator,
		'annotator', (SELECT name FROM annotators WHERE id = annotator), 'count', n)::text)
$$;

CREATE TRIGGER spans_notify_insert AFTER INSERT ON spans
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify();
CREATE TRIGGER spans_notify_update AFTER UPDATE ON spans
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify();
CREATE TRIGGER spans_notify_delete AFTER DELETE ON spans
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify();
