package storage

import (
	"context"
	"database/sql"
	"fmt"
)

// Stats summarises the database from one snapshot.
//
// PerLabel has every label (of every set) with its number of spans and
// PerAnnotator every annotator with theirs, both by count descending, then
// name. PerStatus counts (document, annotator) pairs by status, a pair
// without a status counting as todo, in the order of Statuses; its counts
// add up to Documents × Annotators.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.readSnapshot(ctx, func(c *sql.Conn) error {
		err := c.QueryRowContext(ctx, `
			SELECT (SELECT count(*) FROM documents),
				(SELECT count(*) FROM spans),
				(SELECT count(*) FROM annotators),
				(SELECT count(*) FROM relations)`).Scan(&st.Documents, &st.Spans, &st.Annotators, &st.Relations)
		if err != nil {
			return err
		}
		if st.PerLabel, err = nameCounts(ctx, c, `
			SELECT l.name, count(s.id) AS n
			FROM labels l LEFT JOIN spans s ON s.label_id = l.id
			GROUP BY l.id
			ORDER BY n DESC, l.name`); err != nil {
			return err
		}
		if st.PerAnnotator, err = nameCounts(ctx, c, `
			SELECT a.name, coalesce(c.n, 0) AS n
			FROM annotators a
			LEFT JOIN (SELECT annotator_id, count(*) AS n FROM spans GROUP BY annotator_id) c
				ON c.annotator_id = a.id
			ORDER BY n DESC, a.name`); err != nil {
			return err
		}
		if st.PerRelationType, err = nameCounts(ctx, c, `
			SELECT t.name, count(r.id) AS n
			FROM relation_types t LEFT JOIN relations r ON r.type_id = t.id
			GROUP BY t.id
			ORDER BY n DESC, t.name`); err != nil {
			return err
		}
		set, err := nameCounts(ctx, c, `
			SELECT status, count(*) FROM document_status WHERE status <> 'todo' GROUP BY status`)
		if err != nil {
			return err
		}
		counts := map[string]int{}
		todo := st.Documents * st.Annotators
		for _, nc := range set {
			counts[nc.Name] = nc.Count
			todo -= nc.Count
		}
		counts[string(StatusTodo)] = todo
		for _, status := range Statuses {
			st.PerStatus = append(st.PerStatus, NameCount{Name: string(status), Count: counts[string(status)]})
		}
		st.StatusByAnnotator, err = statusByAnnotator(ctx, c, st.Documents)
		return err
	})
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}

func nameCounts(ctx context.Context, c *sql.Conn, query string) ([]NameCount, error) {
	rows, err := c.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NameCount
	for rows.Next() {
		var nc NameCount
		if err := rows.Scan(&nc.Name, &nc.Count); err != nil {
			return nil, err
		}
		out = append(out, nc)
	}
	return out, rows.Err()
}

// statusByAnnotator counts each annotator's documents by status.
func statusByAnnotator(ctx context.Context, c *sql.Conn, documents int) ([]AnnotatorStatuses, error) {
	rows, err := c.QueryContext(ctx, `
		SELECT a.name, coalesce(ds.status, ''), count(ds.document_id)
		FROM annotators a LEFT JOIN document_status ds ON ds.annotator_id = a.id AND ds.status <> 'todo'
		GROUP BY a.id, ds.status
		ORDER BY a.name, a.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AnnotatorStatuses
	byName := map[string]map[string]int{}
	for rows.Next() {
		var name, status string
		var n int
		if err := rows.Scan(&name, &status, &n); err != nil {
			return nil, err
		}
		if byName[name] == nil {
			byName[name] = map[string]int{}
			out = append(out, AnnotatorStatuses{Annotator: name})
		}
		if status != "" {
			byName[name][status] = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		m := byName[out[i].Annotator]
		todo := documents
		for _, n := range m {
			todo -= n
		}
		m[string(StatusTodo)] = todo
		for _, status := range Statuses {
			out[i].Counts = append(out[i].Counts, NameCount{Name: string(status), Count: m[string(status)]})
		}
	}
	return out, nil
}
