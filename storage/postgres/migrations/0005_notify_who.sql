-- Gloss on PostgreSQL, version 5: every notification also says who made
-- the change: "by_id", the annotator of the role that committed it
-- (gloss_me(); NULL for the owner), and "by", their name. A layer's rows
-- say whose layer they are in annotator_id; a lead writing the gold layer
-- is "by" the lead. A window leaves out its own changes by by_id.
--
-- And each carries a number of its own ("n"): PostgreSQL delivers one
-- notification for several of one transaction with the same payload, so
-- three one-span statements of a batch were told as one span.
CREATE SEQUENCE gloss_notify_seq;
GRANT USAGE ON SEQUENCE gloss_notify_seq TO gloss_analyst;

CREATE OR REPLACE FUNCTION gloss_notify_one(tab TEXT, op TEXT, doc TEXT, annotator TEXT, n BIGINT) RETURNS void
	LANGUAGE sql SET search_path = public, pg_temp AS $$
	SELECT pg_notify('gloss', json_build_object(
		'table', tab, 'op', lower(op), 'document_id', doc, 'annotator_id', annotator,
		'annotator', (SELECT name FROM annotators WHERE id = annotator), 'count', n,
		'by_id', gloss_me(), 'by', (SELECT name FROM annotators WHERE id = gloss_me()),
		'n', nextval('gloss_notify_seq'))::text)
$$;
