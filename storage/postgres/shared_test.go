package postgres

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestPostgresOptimisticSharedRows: two leads rename one label at once:
// the second, who saw the old name, is refused with what it is now, and
// the first's name stays; an analyst is refused by the server; a
// document's title likewise.
func TestPostgresOptimisticSharedRows(t *testing.T) {
	ctx := context.Background()
	tm := newTeam(t)
	if err := AddAnalyst(ctx, tm.db.URL, tm.db.Role("lia"), "pw-lia", true); err != nil {
		t.Fatal(err)
	}
	lia, err := Open(ctx, tm.db.As(tm.db.Role("lia"), "pw-lia"))
	if err != nil {
		t.Fatal(err)
	}
	defer lia.Close()
	l, err := tm.lead.EnsureLabel(ctx, "Claim", "#e69f00", "1")
	if err != nil {
		t.Fatal(err)
	}
	if err := tm.lead.RenameLabel(ctx, l.ID, "Claim", "Assertion"); err != nil {
		t.Fatal(err)
	}
	err = lia.RenameLabel(ctx, l.ID, "Claim", "Statement")
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), `it is now "Assertion"`) {
		t.Errorf("the second rename: %v", err)
	}
	// The same change twice is no conflict.
	if err := lia.RenameLabel(ctx, l.ID, "Claim", "Assertion"); err != nil {
		t.Errorf("the same rename again: %v", err)
	}
	if err := tm.ann.RenameLabel(ctx, l.ID, "Assertion", "Mine"); !errors.Is(err, ErrForbidden) {
		t.Errorf("an analyst renaming a label: %v", err)
	}
	var name string
	if err := tm.conn(t, tm.ann).QueryRow(ctx, `SELECT name FROM labels WHERE id = $1`, l.ID).Scan(&name); err != nil || name != "Assertion" {
		t.Errorf("the label is %q (%v), want the first lead's Assertion", name, err)
	}
	// Claim is one of the labels a new server starts with (Init).
	if err := tm.lead.RecolourLabel(ctx, l.ID, l.Color, "#0072b2"); err != nil {
		t.Error(err)
	}
	if err := lia.RecolourLabel(ctx, l.ID, l.Color, "#009e73"); !errors.Is(err, ErrConflict) {
		t.Errorf("the second recolour: %v", err)
	}
	doc, err := tm.lead.EnsureDocument(ctx, "Rents", "Rents rose 5% 👍🏽.\n")
	if err != nil {
		t.Fatal(err)
	}
	if err := lia.RenameDocument(ctx, doc.ID, "Rents", "Rents in 2024"); err != nil {
		t.Fatal(err)
	}
	if err := tm.lead.RenameDocument(ctx, doc.ID, "Rents", "Rent rises"); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "Rents in 2024") {
		t.Errorf("the second title: %v", err)
	}
	if err := tm.lead.RenameDocument(ctx, "no-such-id", "x", "y"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a missing document: %v", err)
	}
}
