-- Gloss on PostgreSQL, version 4: the other changes a window shows, told as
-- spans' are (version 3).
--
-- A layer's rows (relations, statuses, suggestions) by document and
-- annotator, as spans; attribute values by document and the annotator of
-- the span or relation they are on; the shared rows (documents, labels,
-- relation types, attributes) once per statement, with the annotator of
-- the role that changed them, for example
--   {"table": "labels", "op": "insert", "annotator": "Lea", "count": 1}
CREATE TRIGGER relations_notify_insert AFTER INSERT ON relations
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify();
CREATE TRIGGER relations_notify_update AFTER UPDATE ON relations
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify();
CREATE TRIGGER relations_notify_delete AFTER DELETE ON relations
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify();

CREATE TRIGGER document_status_notify_insert AFTER INSERT ON document_status
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify();
CREATE TRIGGER document_status_notify_update AFTER UPDATE ON document_status
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify();
CREATE TRIGGER document_status_notify_delete AFTER DELETE ON document_status
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify();

CREATE TRIGGER suggestions_notify_insert AFTER INSERT ON suggestions
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify();
CREATE TRIGGER suggestions_notify_delete AFTER DELETE ON suggestions
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify();

-- Attribute values carry no annotator: it is their owner's.
CREATE FUNCTION gloss_notify_values() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
	r RECORD;
BEGIN
	IF TG_OP = 'DELETE' THEN
		FOR r IN SELECT v.document_id, coalesce(s.annotator_id, l.annotator_id) AS annotator_id, count(*) AS n
			FROM old_rows v LEFT JOIN spans s ON s.id = v.owner_id LEFT JOIN relations l ON l.id = v.owner_id
			GROUP BY 1, 2 LOOP
			PERFORM gloss_notify_one(TG_TABLE_NAME, TG_OP, r.document_id, r.annotator_id, r.n);
		END LOOP;
	ELSE
		FOR r IN SELECT v.document_id, coalesce(s.annotator_id, l.annotator_id) AS annotator_id, count(*) AS n
			FROM new_rows v LEFT JOIN spans s ON s.id = v.owner_id LEFT JOIN relations l ON l.id = v.owner_id
			GROUP BY 1, 2 LOOP
			PERFORM gloss_notify_one(TG_TABLE_NAME, TG_OP, r.document_id, r.annotator_id, r.n);
		END LOOP;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER attribute_values_notify_insert AFTER INSERT ON attribute_values
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify_values();
CREATE TRIGGER attribute_values_notify_update AFTER UPDATE ON attribute_values
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify_values();
CREATE TRIGGER attribute_values_notify_delete AFTER DELETE ON attribute_values
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify_values();

-- The shared rows: one message per statement, with who changed them.
CREATE FUNCTION gloss_notify_shared() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
	n BIGINT;
BEGIN
	IF TG_OP = 'DELETE' THEN
		SELECT count(*) INTO n FROM old_rows;
	ELSE
		SELECT count(*) INTO n FROM new_rows;
	END IF;
	IF n > 0 THEN
		PERFORM gloss_notify_one(TG_TABLE_NAME, TG_OP, NULL, gloss_me(), n);
	END IF;
	RETURN NULL;
END $$;

DO $$
DECLARE
	t TEXT;
BEGIN
	FOREACH t IN ARRAY ARRAY['documents', 'labels', 'relation_types', 'attributes'] LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
			FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify_shared()', t || '_notify_insert', t);
		EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
			FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify_shared()', t || '_notify_update', t);
		EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
			FOR EACH STATEMENT EXECUTE FUNCTION gloss_notify_shared()', t || '_notify_delete', t);
	END LOOP;
END $$;
