package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Suggestion is a proposed span: drawn unlike real spans, never exported as
// an annotation, until the analyst accepts it (a create_span edit naming
// it) or rejects it (reject_suggestion).
type Suggestion struct {
	ID          string
	DocumentID  string
	AnnotatorID string // whose layer it is for
	LabelID     string
	Start, End  int    // code points, end exclusive
	Text        string // the covered text
	Score       float64
	// Source is what made it: "tagger", "dictionary", "pattern",
	// "wordlist", or "import" for predictions read from a file; Rule names
	// the pattern or file, ModelVersion the model.
	Source       string
	Rule         string
	ModelVersion string
	Created      time.Time

	Label     string // filled on read
	Annotator string
}

// Origin is what a span accepted from s records of where it came from.
func (s Suggestion) Origin() string {
	o := s.Source
	if s.ModelVersion != "" {
		o += " v" + s.ModelVersion
	}
	if s.Rule != "" {
		o += " (" + s.Rule + ")"
	}
	return o
}

// ReplaceSuggestions replaces, in one transaction, annotatorID's
// suggestions from source on the documents docIDs (every document when
// docIDs is nil) with ss. Each suggestion is checked against its
// document's text like a span. Ones the annotator rejected, or has as a
// span already, are kept but not shown (Suggestions leaves them out), so
// undoing the rejection or the span shows them again. It returns how many
// were stored.
func (s *Store) ReplaceSuggestions(ctx context.Context, annotatorID, source string, docIDs []string, ss []Suggestion) (int, error) {
	if source == "" {
		return 0, fmt.Errorf("replace suggestions: %w: no source", ErrInvalidEdit)
	}
	n := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := annotatorExists(ctx, tx, annotatorID); err != nil {
			return err
		}
		if docIDs == nil {
			if _, err := tx.ExecContext(ctx, `DELETE FROM suggestions WHERE annotator_id = ? AND source = ?`, annotatorID, source); err != nil {
				return err
			}
		} else {
			for _, id := range docIDs {
				if _, err := tx.ExecContext(ctx, `DELETE FROM suggestions WHERE annotator_id = ? AND source = ? AND document_id = ?`, annotatorID, source, id); err != nil {
					return err
				}
			}
		}
		texts := map[string]storedText{}
		ins, err := tx.PrepareContext(ctx, `
			INSERT INTO suggestions (id, document_id, annotator_id, label_id, start, "end", text, score, source, rule, model_version, created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		defer ins.Close()
		t := now().UnixNano()
		for i, sg := range ss {
			txt, ok := texts[sg.DocumentID]
			if !ok {
				text, length, err := s.documentText(ctx, tx, sg.DocumentID)
				if err != nil {
					return fmt.Errorf("suggestion %d: %w", i, err)
				}
				txt = storedText{text, length}
				texts[sg.DocumentID] = txt
			}
			covered, err := checkSpan(spanFields{start: sg.Start, end: sg.End}, txt)
			if err != nil {
				return fmt.Errorf("suggestion %d: %w", i, err)
			}
			if math.IsNaN(sg.Score) || sg.Score < 0 || sg.Score > 1 {
				return fmt.Errorf("suggestion %d: %w: score %v is not between 0 and 1", i, ErrInvalidSpan, sg.Score)
			}
			if err := s.labelExists(ctx, tx, sg.LabelID); err != nil {
				return fmt.Errorf("suggestion %d: %w", i, err)
			}
			res, err := ins.ExecContext(ctx, newID(), sg.DocumentID, annotatorID, sg.LabelID, sg.Start, sg.End, covered,
				sg.Score, source, sg.Rule, sg.ModelVersion, t)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k > 0 {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("replace suggestions: %w", err)
	}
	return n, nil
}

// SuggestionSelect reads suggestions g with their label's and annotator's
// names, the columns ScanSuggestion takes; the team server's export reader
// shares it, and OpenSuggestionSQL, so that both engines mean the same.
const SuggestionSelect = `
	SELECT g.id, g.document_id, g.annotator_id, g.label_id, g.start, g."end", g.text, g.score,
		g.source, g.rule, g.model_version, g.created, l.name, a.name
	FROM suggestions g JOIN labels l ON l.id = g.label_id JOIN annotators a ON a.id = g.annotator_id`

// OpenSuggestionSQL keeps the suggestions g that are still open: not
// rejected, not a span of the annotator already.
const OpenSuggestionSQL = `
	AND NOT EXISTS (SELECT 1 FROM rejections r WHERE r.document_id = g.document_id AND r.annotator_id = g.annotator_id
		AND r.label_id = g.label_id AND r.start = g.start AND r."end" = g."end")
	AND NOT EXISTS (SELECT 1 FROM spans x WHERE x.document_id = g.document_id AND x.annotator_id = g.annotator_id
		AND x.label_id = g.label_id AND x.start = g.start AND x."end" = g."end")`

// ScanSuggestion reads a row of SuggestionSelect.
func ScanSuggestion(sc interface{ Scan(...any) error }) (Suggestion, error) {
	var g Suggestion
	var created int64
	err := sc.Scan(&g.ID, &g.DocumentID, &g.AnnotatorID, &g.LabelID, &g.Start, &g.End, &g.Text, &g.Score,
		&g.Source, &g.Rule, &g.ModelVersion, &created, &g.Label, &g.Annotator)
	g.Created = fromNanos(created)
	return g, err
}

// Suggestions are annotatorID's suggestions on document docID that are
// still open: not rejected, and not yet a span of the annotator with the
// same label and extent. They come in span order, and where two sources
// suggest the same label on the same extent only the higher score is kept.
func (s *Store) Suggestions(ctx context.Context, docID, annotatorID string) ([]Suggestion, error) {
	rows, err := s.db.QueryContext(ctx, SuggestionSelect+`
		WHERE g.document_id = ? AND g.annotator_id = ?`+OpenSuggestionSQL+`
		ORDER BY g.start, g."end" DESC, g.label_id, g.score DESC, g.source`, docID, annotatorID)
	if err != nil {
		return nil, fmt.Errorf("suggestions: %w", err)
	}
	defer rows.Close()
	var out []Suggestion
	for rows.Next() {
		g, err := ScanSuggestion(rows)
		if err != nil {
			return nil, fmt.Errorf("suggestions: %w", err)
		}
		if n := len(out); n > 0 && out[n-1].Start == g.Start && out[n-1].End == g.End && out[n-1].LabelID == g.LabelID {
			continue // a lower score for the same label and extent
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Suggestion is one suggestion by ID, rejected or not.
func (s *Store) Suggestion(ctx context.Context, id string) (Suggestion, error) {
	g, err := ScanSuggestion(s.db.QueryRowContext(ctx, SuggestionSelect+` WHERE g.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Suggestion{}, fmt.Errorf("%w: suggestion %q", ErrNotFound, id)
	}
	return g, err
}

// SuggestionCounts counts annotatorID's open suggestions per source.
func (s *Store) SuggestionCounts(ctx context.Context, annotatorID string) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, count(*) FROM suggestions WHERE annotator_id = ? GROUP BY source`, annotatorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var src string
		var n int
		if err := rows.Scan(&src, &n); err != nil {
			return nil, err
		}
		out[src] = n
	}
	return out, rows.Err()
}

// Rejection is a suggestion an analyst turned down: negative evidence.
type Rejection struct {
	DocumentID, LabelID, Label string
	Start, End                 int
}

// Rejections are annotatorID's rejections, by document.
func (s *Store) Rejections(ctx context.Context, annotatorID string) ([]Rejection, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT r.document_id, r.label_id, l.name, r.start, r."end" FROM rejections r JOIN labels l ON l.id = r.label_id
		WHERE r.annotator_id = ? ORDER BY r.document_id, r.start`, annotatorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Rejection
	for rows.Next() {
		var r Rejection
		if err := rows.Scan(&r.DocumentID, &r.LabelID, &r.Label, &r.Start, &r.End); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// rejectState is a rejection as the undo history records it.
type rejectState struct {
	ID          string `json:"id"`
	DocumentID  string `json:"document_id"`
	AnnotatorID string `json:"annotator_id"`
	LabelID     string `json:"label_id"`
	Start       int    `json:"start"`
	End         int    `json:"end"`
	Created     int64  `json:"created"`
}

// rejectSuggestion makes a reject_suggestion edit.
func (s *Store) rejectSuggestion(ctx context.Context, tx *sql.Tx, e Edit) (*change, error) {
	var g rejectState
	err := tx.QueryRowContext(ctx, `SELECT document_id, annotator_id, label_id, start, "end" FROM suggestions WHERE id = ?`,
		e.SuggestionID).Scan(&g.DocumentID, &g.AnnotatorID, &g.LabelID, &g.Start, &g.End)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: suggestion %q", ErrNotFound, e.SuggestionID)
	}
	if err != nil {
		return nil, err
	}
	if g.DocumentID != e.DocumentID || g.AnnotatorID != e.AnnotatorID {
		return nil, fmt.Errorf("%w: suggestion %s is not for this document and annotator", ErrConflict, e.SuggestionID)
	}
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM rejections WHERE document_id = ? AND annotator_id = ? AND label_id = ? AND start = ? AND "end" = ?`,
		g.DocumentID, g.AnnotatorID, g.LabelID, g.Start, g.End).Scan(&one)
	if err == nil {
		return nil, nil // rejected already
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	g.ID, g.Created = newID(), now().UnixNano()
	if err := insertRejection(ctx, tx, &g); err != nil {
		return nil, err
	}
	return &change{RejectAfter: &g}, nil
}

func insertRejection(ctx context.Context, tx *sql.Tx, r *rejectState) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO rejections (id, document_id, annotator_id, label_id, start, "end", created) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.DocumentID, r.AnnotatorID, r.LabelID, r.Start, r.End, r.Created)
	return err
}

// rejectTransition undoes or redoes a rejection.
func rejectTransition(ctx context.Context, tx *sql.Tx, from, to *rejectState) error {
	switch {
	case from != nil && to == nil:
		_, err := tx.ExecContext(ctx, `DELETE FROM rejections WHERE id = ?`, from.ID)
		return err
	case from == nil && to != nil:
		return insertRejection(ctx, tx, to)
	}
	return nil
}

// suggestionOrigin is what an accepted suggestion records on its span,
// after checking that it is the annotator's, on this document.
func suggestionOrigin(ctx context.Context, tx *sql.Tx, e Edit) (string, error) {
	var g Suggestion
	err := tx.QueryRowContext(ctx, `SELECT document_id, annotator_id, source, rule, model_version FROM suggestions WHERE id = ?`,
		e.SuggestionID).Scan(&g.DocumentID, &g.AnnotatorID, &g.Source, &g.Rule, &g.ModelVersion)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%w: suggestion %q", ErrNotFound, e.SuggestionID)
	}
	if err != nil {
		return "", err
	}
	if g.DocumentID != e.DocumentID || g.AnnotatorID != e.AnnotatorID {
		return "", fmt.Errorf("%w: suggestion %s is not for this document and annotator", ErrConflict, e.SuggestionID)
	}
	return strings.TrimSpace(g.Origin()) + " #" + e.SuggestionID, nil
}

// Model is a trained suggestion source kept in the database.
type Model struct {
	ID          string
	AnnotatorID string
	Kind        string // "tagger"
	Version     int
	Data        []byte
	Summary     string // JSON: what it was trained on and how it scored
	Created     time.Time
}

// SaveModel stores a new version of annotatorID's model of kind (one more
// than the latest) and keeps the three latest versions.
func (s *Store) SaveModel(ctx context.Context, annotatorID, kind string, data []byte, summary string) (Model, error) {
	if summary == "" {
		summary = "{}"
	}
	m := Model{ID: newID(), AnnotatorID: annotatorID, Kind: kind, Data: data, Summary: summary, Created: now()}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := annotatorExists(ctx, tx, annotatorID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) + 1 FROM models WHERE annotator_id = ? AND kind = ?`,
			annotatorID, kind).Scan(&m.Version); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO models (id, annotator_id, kind, version, data, summary, created) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			m.ID, annotatorID, kind, m.Version, data, summary, m.Created.UnixNano()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM models WHERE annotator_id = ? AND kind = ? AND version <= ?`, annotatorID, kind, m.Version-3)
		return err
	})
	if err != nil {
		return Model{}, fmt.Errorf("save model: %w", err)
	}
	return m, nil
}

// LatestModel is annotatorID's newest model of kind; ok is false when there
// is none.
func (s *Store) LatestModel(ctx context.Context, annotatorID, kind string) (m Model, ok bool, err error) {
	var created int64
	err = s.db.QueryRowContext(ctx, `SELECT id, annotator_id, kind, version, data, summary, created FROM models
		WHERE annotator_id = ? AND kind = ? ORDER BY version DESC LIMIT 1`, annotatorID, kind).Scan(
		&m.ID, &m.AnnotatorID, &m.Kind, &m.Version, &m.Data, &m.Summary, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Model{}, false, nil
	}
	if err != nil {
		return Model{}, false, fmt.Errorf("latest model: %w", err)
	}
	m.Created = fromNanos(created)
	return m, true, nil
}

// ModelKinds lists the kinds of model annotatorID has, by name.
func (s *Store) ModelKinds(ctx context.Context, annotatorID string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT kind FROM models WHERE annotator_id = ? ORDER BY kind`, annotatorID)
	if err != nil {
		return nil, fmt.Errorf("model kinds: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
