-- Gloss on PostgreSQL, version 2: who may write what, enforced by the server.
--
-- Two group roles. Roles belong to the whole server, not to one database, so
-- they are made only when missing (another Gloss database on the same server
-- may have made them):
--   gloss_analyst  every analyst: reads everything, writes their own layer;
--   gloss_lead     a member of gloss_analyst that also writes the shared rows
--                  (documents, labels, relation types, attributes) and the
--                  gold layer.
-- An analyst is a login role of their own (gloss server add-analyst) mapped to
-- their annotator by gloss_roles; row-level security compares the rows'
-- annotator with the connected role (current_user).
DO $$
BEGIN
	BEGIN
		CREATE ROLE gloss_analyst NOLOGIN;
	EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
	END;
	BEGIN
		CREATE ROLE gloss_lead NOLOGIN;
	EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
	END;
	IF NOT pg_has_role('gloss_lead', 'gloss_analyst', 'MEMBER') THEN
		GRANT gloss_analyst TO gloss_lead;
	END IF;
	EXECUTE format('GRANT CONNECT ON DATABASE %I TO gloss_analyst', current_database());
	-- No temporary tables (pg_temp is searched first) and no new objects in
	-- public for anyone but the owner: nothing an analyst makes can stand in
	-- for a table or function of Gloss.
	EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END $$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO gloss_analyst;

-- gloss_roles maps a login role to its annotator (the role's name is the
-- annotator's name when add-analyst made it). Only the owner writes it.
CREATE TABLE gloss_roles (
	role         TEXT PRIMARY KEY,
	annotator_id TEXT NOT NULL UNIQUE REFERENCES annotators (id)
);

-- gloss_me is the annotator of the connected role (NULL when it has none).
CREATE FUNCTION gloss_me() RETURNS TEXT LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$ SELECT annotator_id FROM public.gloss_roles WHERE role = current_user::text $$;

-- gloss_is_lead: whether the connected role is a member of gloss_lead.
CREATE FUNCTION gloss_is_lead() RETURNS BOOLEAN LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$ SELECT pg_has_role(current_user, 'gloss_lead', 'MEMBER') $$;

-- gloss_may_write: whether the connected role may write a row of the layer of
-- annotator $1: its own; a lead's also the gold layer (the annotator named
-- gold, as storage.IsGold).
CREATE FUNCTION gloss_may_write(TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT $1 IS NOT NULL AND ($1 = public.gloss_me()
		OR (public.gloss_is_lead() AND EXISTS (
			SELECT 1 FROM public.annotators a WHERE a.id = $1 AND lower(a.name) = 'gold')))
$$;

-- gloss_may_write_owner: whether the connected role may write an attribute
-- value of the span or relation $1 (whose layer the value belongs to).
CREATE FUNCTION gloss_may_write_owner(TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT EXISTS (SELECT 1 FROM public.spans s WHERE s.id = $1 AND public.gloss_may_write(s.annotator_id))
		OR EXISTS (SELECT 1 FROM public.relations r WHERE r.id = $1 AND public.gloss_may_write(r.annotator_id))
$$;

-- Everyone reads everything.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO gloss_analyst;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO gloss_analyst;

-- The shared rows are the lead's (plain grants: an analyst's write is
-- "permission denied for table labels"). annotators and gloss_roles are the
-- owner's alone: gloss server add-analyst writes them.
GRANT INSERT, UPDATE, DELETE ON label_sets, labels, documents, document_texts, relation_types, attributes
	TO gloss_lead;

-- The layers: every analyst may write, but row-level security lets each row
-- through only when it is of a layer the role may write, both the row as it
-- was (USING: an UPDATE or DELETE of another's row finds nothing to change)
-- and as it becomes (WITH CHECK: an INSERT or UPDATE into another's layer is
-- refused, "new row violates row-level security policy"). The table owner
-- (who runs gloss server init) is not bound by them.
DO $$
DECLARE
	t TEXT;
	may TEXT;
BEGIN
	FOREACH t IN ARRAY ARRAY['spans', 'document_status', 'edits', 'relations', 'tombstones',
		'relation_tombstones', 'suggestions', 'rejections', 'models', 'attribute_values'] LOOP
		may := CASE t WHEN 'attribute_values' THEN 'public.gloss_may_write_owner(owner_id)'
			ELSE 'public.gloss_may_write(annotator_id)' END;
		EXECUTE format('GRANT INSERT, UPDATE, DELETE ON %I TO gloss_analyst', t);
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY gloss_read ON %I FOR SELECT TO gloss_analyst USING (true)', t);
		EXECUTE format('CREATE POLICY gloss_insert ON %I FOR INSERT TO gloss_analyst WITH CHECK (%s)', t, may);
		EXECUTE format('CREATE POLICY gloss_update ON %I FOR UPDATE TO gloss_analyst USING (%s) WITH CHECK (%s)', t, may, may);
		EXECUTE format('CREATE POLICY gloss_delete ON %I FOR DELETE TO gloss_analyst USING (%s)', t, may);
	END LOOP;
END $$;
