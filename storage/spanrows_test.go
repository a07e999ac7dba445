package storage

import "testing"

func TestSpanRowsAndMixedLabels(t *testing.T) {
	f := newFixture(t)
	f.create(t, 0, 0, 8)   // Claim “Growth,”
	f.create(t, 1, 25, 27) // Figure 3%
	f.create(t, 1, 0, 8)   // Figure “Growth,” — the same text, another label
	rows, err := f.s.SpanRows(f.ctx, SpanFilter{Sort: "label"})
	if err != nil || len(rows) != 3 || rows[0].Label != "Claim" || rows[0].Title != "Sample" {
		t.Fatalf("rows %+v %v", rows, err)
	}
	if rows, _ = f.s.SpanRows(f.ctx, SpanFilter{Text: "3%"}); len(rows) != 1 || rows[0].Span.Text != "3%" {
		t.Errorf("text filter: %+v", rows)
	}
	if rows, _ = f.s.SpanRows(f.ctx, SpanFilter{LabelID: f.labels[1].ID, Limit: 1, Offset: 1}); len(rows) != 1 {
		t.Errorf("paging: %+v", rows)
	}
	if n, _ := f.s.CountSpanRows(f.ctx, SpanFilter{Status: StatusInProgress}); n != 3 {
		t.Errorf("count in progress: %d", n)
	}
	if n, _ := f.s.CountSpanRows(f.ctx, SpanFilter{Status: StatusDone}); n != 0 {
		t.Errorf("count done: %d", n)
	}
	if _, err := f.s.SpanRows(f.ctx, SpanFilter{Sort: "bogus"}); err == nil {
		t.Error("an unknown sort is accepted")
	}
	mixed, err := f.s.MixedLabels(f.ctx, "")
	if err != nil || len(mixed) != 1 || mixed[0].Labels["Claim"] != 1 || mixed[0].Labels["Figure"] != 1 {
		t.Errorf("mixed labels %+v %v", mixed, err)
	}
}
