package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Channel is the LISTEN/NOTIFY channel Gloss's triggers notify.
const Channel = "gloss"

// Change is one notification: a statement committed on the server changed
// Count rows of one table for one document and annotator (the layer's
// rows: spans, relations, document_status, suggestions, attribute_values;
// migrations 0003 and 0004), or of a shared table (documents, labels,
// relation_types, attributes: DocumentID "", AnnotatorID the annotator of
// the role that changed them, "" for the owner).
type Change struct {
	Table       string `json:"table"` // "spans", "labels", ...
	Op          string `json:"op"`    // "insert", "update" or "delete"
	DocumentID  string `json:"document_id"`
	AnnotatorID string `json:"annotator_id"`
	Annotator   string `json:"annotator"` // the annotator's name
	Count       int    `json:"count"`
	// Who made it (migration 0005): the annotator of the role that
	// committed it, "" for the owner.
	ByID string `json:"by_id"`
	By   string `json:"by"`
	// Documents: a statement that changed the layer in many documents at
	// once (migration 0007) is told once, with no DocumentID and the
	// number of documents here.
	Documents int `json:"documents"`
}

// changeNames are the tables' rows as a person says them, one and many.
var changeNames = map[string][2]string{
	"spans": {"span", "spans"}, "relations": {"relation", "relations"}, "document_status": {"status", "statuses"},
	"suggestions": {"suggestion", "suggestions"}, "attribute_values": {"attribute value", "attribute values"},
	"documents": {"document", "documents"}, "labels": {"label", "labels"},
	"relation_types": {"relation type", "relation types"}, "attributes": {"attribute", "attributes"},
}

// Text says a change as a window shows it: "Ann added 3 spans", "Lea
// changed 1 labels", "someone deleted 2 relations".
func (c Change) Text() string {
	who := c.By
	if who == "" {
		who = c.Annotator
	}
	if who == "" {
		who = "someone"
	}
	verb := map[string]string{"insert": "added", "update": "changed", "delete": "deleted"}[c.Op]
	if verb == "" {
		verb = c.Op
	}
	if c.Table == "document_status" {
		verb = map[string]string{"insert": "set", "update": "changed", "delete": "cleared"}[c.Op]
		if c.Documents == 0 {
			return fmt.Sprintf("%s %s a status", who, verb)
		}
	}
	names, ok := changeNames[c.Table]
	if !ok {
		names = [2]string{c.Table, c.Table}
	}
	what := names[1]
	if c.Count == 1 {
		what = names[0]
	}
	if c.DocumentID != "" && c.Annotator != "" && c.By != "" && !strings.EqualFold(c.Annotator, c.By) {
		return fmt.Sprintf("%s %s %d %s in %s's layer", who, verb, c.Count, what, c.Annotator)
	}
	if c.Documents > 0 {
		to := "in"
		if c.Op == "insert" && c.Table != "document_status" {
			to = "to"
		}
		return fmt.Sprintf("%s %s %s %s %s %s documents", who, verb, thousands(c.Count), what, to, thousands(c.Documents))
	}
	return fmt.Sprintf("%s %s %d %s", who, verb, c.Count, what)
}

// thousands writes n with commas: 100,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Listen hears the changes every connection commits — this store's own
// included — on a connection of its own, and calls fn with each, one at a
// time, on a goroutine of its own. It returns once the server listens, so
// every change committed after it returns reaches fn (none before it). It
// listens until ctx is cancelled or the connection fails; the channel it
// returns then receives nil (cancelled) or the error, and is closed. A
// notification that is not a Change (another program's on the channel) is
// skipped.
func (s *Store) Listen(ctx context.Context, fn func(Change)) (<-chan error, error) {
	// A pooled connection the server ended (a quick restart: the pool
	// pings only those idle for a second) fails its LISTEN: take another,
	// as retrying does for a transaction.
	var conn *pgx.Conn
	for try := int32(0); ; try++ {
		pc, err := s.pool.Acquire(ctx)
		if err != nil {
			return nil, fmt.Errorf("listen: %w", err)
		}
		// The connection leaves the pool: it is closed at the end rather
		// than handed back still listening, or broken by a cancelled wait.
		conn = pc.Hijack()
		_, err = conn.Exec(ctx, `LISTEN `+Channel)
		if err == nil {
			break
		}
		conn.Close(context.WithoutCancel(ctx))
		if !connLost(err) || ctx.Err() != nil || try >= s.pool.Stat().MaxConns() {
			return nil, fmt.Errorf("listen: %w", err)
		}
	}
	done := make(chan error, 1)
	go func() {
		defer close(done)
		defer conn.Close(context.WithoutCancel(ctx))
		for {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				if ctx.Err() != nil {
					done <- nil // cancelled (the wait's error says so in its own way)
				} else {
					done <- fmt.Errorf("listen: %w", err)
				}
				return
			}
			var c Change
			if n.Channel != Channel || json.Unmarshal([]byte(n.Payload), &c) != nil || c.Table == "" {
				continue
			}
			fn(c)
		}
	}()
	return done, nil
}
