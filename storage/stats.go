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
				(SELECT count(*) FROM annotators)`).Scan(&st.Documents, &st.Spans, &st.Annotators)
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
		return nil
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
