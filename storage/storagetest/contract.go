package storagetest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gloss/storage"
)

// Contract runs the behaviour every storage.Store must show, whichever
// database it is on, against stores that open makes: a new, empty database
// each call, on which the store may write everything (an SQLite file; the
// server as its owner). storagetest's own test runs it on SQLite,
// storage/postgres's on a real PostgreSQL server, so the window and the
// commands find one store on both.
func Contract(t *testing.T, open func(t testing.TB) *storage.Store) {
	cases := []struct {
		name string
		fn   func(t *testing.T, s *storage.Store)
	}{
		{"LabelsAndDocuments", contractLabelsAndDocuments},
		{"EditsUndoRedo", contractEditsUndoRedo},
		{"StatusAndBatch", contractStatusAndBatch},
		{"RelationsAndAttributes", contractRelationsAndAttributes},
		{"Suggestions", contractSuggestions},
		{"DocumentList", contractDocumentList},
		{"SearchAndRecords", contractSearchAndRecords},
		{"LabelSchemaEdits", contractLabelSchemaEdits},
		{"Import", contractImport},
		{"Merge", contractMerge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, open(t)) })
	}
}

// contractText has what offsets must survive: an emoji with a skin tone
// (two code points), curly quotes, an em dash, CRLF and Arabic.
const contractText = "Rents rose 5% 👍🏽 — “a record”.\r\nقال الوزير إن الإيجارات ارتفعت.\r\nRents fell in Lyon.\r\n"

// setUp makes the default labels, two analysts and one document.
func setUp(t *testing.T, s *storage.Store) (ctx context.Context, labels []storage.Label, ann, bob storage.Annotator, doc storage.Document) {
	t.Helper()
	ctx = context.Background()
	as := Analysts(t, s, "ann", "bob")
	set, err := s.DefaultLabelSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	labels, err = s.Labels(ctx, set.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) < 3 {
		t.Fatalf("the default labels are %v", labels)
	}
	docs, _, err := s.ImportDocuments(ctx, []storage.NewDocument{{Title: "Rents", Text: contractText, FileName: "rents.txt", Format: "txt"}})
	if err != nil {
		t.Fatal(err)
	}
	return ctx, labels, as[0], as[1], docs[0]
}

// runes is text[start:end) in code points.
func runes(text string, start, end int) string { return string([]rune(text)[start:end]) }

func contractLabelsAndDocuments(t *testing.T, s *storage.Store) {
	ctx, labels, _, _, doc := setUp(t, s)
	if labels[0].Name != "Claim" || labels[1].Name != "Figure" || labels[2].Name != "Proposal" {
		t.Errorf("default labels %v %v %v", labels[0].Name, labels[1].Name, labels[2].Name)
	}
	got, err := s.Document(ctx, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != contractText || got.Length != len([]rune(contractText)) || got.Title != "Rents" {
		t.Errorf("document read back: %q (%d code points), title %q", got.Text, got.Length, got.Title)
	}
	// The same text again is the same document.
	again, created, err := s.ImportDocuments(ctx, []storage.NewDocument{{Title: "Other", Text: contractText}})
	if err != nil || created[0] || again[0].ID != doc.ID {
		t.Errorf("a re-import: %v %v %v", again, created, err)
	}
	if _, err := s.Document(ctx, "0190f5a4-0000-7000-8000-000000000000"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("an unknown document: %v", err)
	}
	a1, err := s.EnsureAnnotator(ctx, "ann")
	if err != nil {
		t.Fatal(err)
	}
	a2, err := s.EnsureAnnotator(ctx, "ann")
	if err != nil || a1.ID != a2.ID {
		t.Errorf("EnsureAnnotator twice: %v %v (%v)", a1, a2, err)
	}
}

func contractEditsUndoRedo(t *testing.T, s *storage.Store) {
	ctx, labels, ann, bob, doc := setUp(t, s)
	// Read whole first, as the window opens it (a store on a server then
	// cuts new spans' text out of its own copy).
	if _, err := s.Document(ctx, doc.ID); err != nil {
		t.Fatal(err)
	}
	start := len([]rune("Rents rose "))
	sp, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, LabelID: labels[1].ID, Start: start, End: start + 5})
	if err != nil {
		t.Fatal(err)
	}
	if want := runes(contractText, start, start+5); sp.Text != want || sp.Text != "5% 👍🏽" {
		t.Errorf("span text %q, want %q", sp.Text, want)
	}
	// Arabic, by code points.
	ar := len([]rune("Rents rose 5% 👍🏽 — “a record”.\r\n"))
	sp2, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, LabelID: labels[0].ID, Start: ar, End: ar + 9})
	if err != nil {
		t.Fatal(err)
	}
	if sp2.Text != "قال الوزي" {
		t.Errorf("Arabic span %q", sp2.Text)
	}
	// Refusals leave nothing behind.
	for _, e := range []storage.Edit{
		{Kind: storage.EditCreateSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, LabelID: labels[1].ID, Start: start, End: start + 5},
		{Kind: storage.EditCreateSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, LabelID: labels[1].ID, Start: 3, End: 3},
		{Kind: storage.EditCreateSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, LabelID: labels[1].ID, Start: 0, End: 10_000},
		{Kind: storage.EditDeleteSpan, DocumentID: doc.ID, AnnotatorID: bob.ID, SpanID: sp.ID},
	} {
		if _, err := s.Apply(ctx, e); !storage.IsRefusal(err) {
			t.Errorf("%s %d-%d by %s: %v, want a refusal", e.Kind, e.Start, e.End, e.AnnotatorID, err)
		}
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditRelabelSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, SpanID: sp.ID, LabelID: labels[2].ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditSetNote, DocumentID: doc.ID, AnnotatorID: ann.ID, SpanID: sp.ID, Note: "check the figure — “5%”"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditResizeSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, SpanID: sp.ID, Start: start, End: start + 2}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Span(ctx, sp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "5%" || got.LabelID != labels[2].ID || got.Note != "check the figure — “5%”" {
		t.Errorf("after relabel, note and resize: %+v", got)
	}
	// Undo the three, one at a time, and redo them.
	for i, want := range []string{"5% 👍🏽", "5% 👍🏽", "5% 👍🏽"} {
		if _, ok, err := s.Undo(ctx, ann.ID, doc.ID); err != nil || !ok {
			t.Fatalf("undo %d: %v %v", i, ok, err)
		}
		if got, _ := s.Span(ctx, sp.ID); got.Text != want {
			t.Errorf("after undo %d the span is %q", i, got.Text)
		}
	}
	if got, _ := s.Span(ctx, sp.ID); got.LabelID != labels[1].ID || got.Note != "" {
		t.Errorf("after three undos: %+v", got)
	}
	if _, ok, err := s.Redo(ctx, ann.ID, doc.ID); err != nil || !ok {
		t.Fatalf("redo: %v %v", ok, err)
	}
	if got, _ := s.Span(ctx, sp.ID); got.LabelID != labels[2].ID {
		t.Errorf("after redo the label is %s", got.LabelID)
	}
	canUndo, canRedo, err := s.UndoState(ctx, ann.ID, doc.ID)
	if err != nil || !canUndo || !canRedo {
		t.Errorf("UndoState %v %v %v", canUndo, canRedo, err)
	}
	// Delete, undo brings it back with its ID.
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditDeleteSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, SpanID: sp.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Span(ctx, sp.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("a deleted span: %v", err)
	}
	if _, _, err := s.Undo(ctx, ann.ID, doc.ID); err != nil {
		t.Fatal(err)
	}
	spans, err := s.Spans(ctx, doc.ID, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) != 2 || !slices.ContainsFunc(spans, func(x storage.Span) bool { return x.ID == sp.ID }) {
		t.Errorf("after undoing the delete: %v", spans)
	}
	// Bob's layer is his own.
	if bs, _ := s.Spans(ctx, doc.ID, bob.ID); len(bs) != 0 {
		t.Errorf("bob has %d spans", len(bs))
	}
	if _, ok, _ := s.Undo(ctx, bob.ID, doc.ID); ok {
		t.Error("bob undid something of ann's")
	}
}

func contractStatusAndBatch(t *testing.T, s *storage.Store) {
	ctx, labels, ann, _, doc := setUp(t, s)
	if st, err := s.Status(ctx, doc.ID, ann.ID); err != nil || st != storage.StatusTodo {
		t.Errorf("status before: %v %v", st, err)
	}
	var edits []storage.Edit
	for _, w := range []string{"Rents rose", "Rents fell"} {
		i := indexRunes(contractText, w)
		edits = append(edits, storage.Edit{Kind: storage.EditCreateSpan, LabelID: labels[0].ID, Start: i, End: i + len([]rune(w))})
	}
	spans, st, err := s.ApplyBatch(ctx, doc.ID, ann.ID, edits)
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) != 2 || spans[1].Text != "Rents fell" || st != storage.StatusInProgress {
		t.Errorf("batch: %v, status %v", spans, st)
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditSetStatus, DocumentID: doc.ID, AnnotatorID: ann.ID, Status: storage.StatusDone}); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Status(ctx, doc.ID, ann.ID); st != storage.StatusDone {
		t.Errorf("status %v, want done", st)
	}
	if _, _, err := s.Undo(ctx, ann.ID, doc.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Undo(ctx, ann.ID, doc.ID); err != nil { // the whole batch, as one step
		t.Fatal(err)
	}
	if st, _ := s.Status(ctx, doc.ID, ann.ID); st != storage.StatusTodo {
		t.Errorf("status after undoing all: %v", st)
	}
	if sp, _ := s.Spans(ctx, doc.ID, ann.ID); len(sp) != 0 {
		t.Errorf("spans after undoing the batch: %v", sp)
	}
}

func indexRunes(text, sub string) int {
	r := []rune(text)
	w := []rune(sub)
	for i := 0; i+len(w) <= len(r); i++ {
		if string(r[i:i+len(w)]) == sub {
			return i
		}
	}
	return -1
}

func contractRelationsAndAttributes(t *testing.T, s *storage.Store) {
	ctx, labels, ann, _, doc := setUp(t, s)
	set, _ := s.DefaultLabelSet(ctx)
	rt, err := s.CreateRelationType(ctx, storage.RelationType{SetID: set.ID, Name: "supports", Color: "#0072b2", Key: "s", Directed: true,
		Args: []storage.LabelPair{{From: labels[1].ID, To: labels[0].ID}}})
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := 0.0, 1.0
	cert, err := s.CreateAttribute(ctx, storage.Attribute{SetID: set.ID, Name: "Certainty", Kind: storage.AttrNumber, Min: &lo, Max: &hi})
	if err != nil {
		t.Fatal(err)
	}
	disp, err := s.CreateAttribute(ctx, storage.Attribute{SetID: set.ID, Name: "Disputed", Kind: storage.AttrFlag, Remember: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Attributes(ctx, set.ID); err != nil || len(got) != 2 || !got[1].Remember || got[0].Max == nil || *got[0].Max != 1 {
		t.Errorf("attributes read back: %+v %v", got, err)
	}
	if got, err := s.RelationTypes(ctx, set.ID); err != nil || len(got) != 1 || !got[0].Directed || len(got[0].Args) != 1 {
		t.Errorf("relation types read back: %+v %v", got, err)
	}
	fig, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, LabelID: labels[1].ID, Start: 11, End: 13})
	if err != nil {
		t.Fatal(err)
	}
	claim, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, LabelID: labels[0].ID, Start: 0, End: 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateRelation, DocumentID: doc.ID, AnnotatorID: ann.ID, TypeID: rt.ID, From: claim.ID, To: fig.ID}); !errors.Is(err, storage.ErrInvalidEdit) && !storage.IsRefusal(err) {
		t.Errorf("a pair the type does not allow: %v", err)
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateRelation, DocumentID: doc.ID, AnnotatorID: ann.ID, TypeID: rt.ID, From: fig.ID, To: claim.ID}); err != nil {
		t.Fatal(err)
	}
	for _, e := range []storage.Edit{
		{Kind: storage.EditSetAttribute, DocumentID: doc.ID, AnnotatorID: ann.ID, OwnerID: fig.ID, AttributeID: cert.ID, Value: "0.8"},
		{Kind: storage.EditSetAttribute, DocumentID: doc.ID, AnnotatorID: ann.ID, OwnerID: fig.ID, AttributeID: disp.ID, Value: "true"},
	} {
		if _, err := s.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditSetAttribute, DocumentID: doc.ID, AnnotatorID: ann.ID, OwnerID: fig.ID, AttributeID: cert.ID, Value: "7"}); !storage.IsRefusal(err) {
		t.Errorf("a number out of bounds: %v", err)
	}
	rels, err := s.Relations(ctx, doc.ID, ann.ID)
	if err != nil || len(rels) != 1 || rels[0].From != fig.ID {
		t.Fatalf("relations: %v %v", rels, err)
	}
	vals, err := s.AttributeValues(ctx, doc.ID, ann.ID)
	if err != nil || len(vals[fig.ID]) != 2 {
		t.Errorf("attribute values: %v %v", vals, err)
	}
	// Deleting the figure takes its relation and values; undo brings all back.
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditDeleteSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, SpanID: fig.ID}); err != nil {
		t.Fatal(err)
	}
	if rels, _ := s.Relations(ctx, doc.ID, ann.ID); len(rels) != 0 {
		t.Errorf("relations after deleting an end: %v", rels)
	}
	if _, _, err := s.Undo(ctx, ann.ID, doc.ID); err != nil {
		t.Fatal(err)
	}
	if rels, _ := s.Relations(ctx, doc.ID, ann.ID); len(rels) != 1 || rels[0].ID == "" {
		t.Errorf("relations after undo: %v", rels)
	}
	if vals, _ := s.AttributeValues(ctx, doc.ID, ann.ID); len(vals[fig.ID]) != 2 {
		t.Errorf("values after undo: %v", vals)
	}
	if n, err := s.RelationTypeUsage(ctx, rt.ID); err != nil || n != 1 {
		t.Errorf("relation type usage %d %v", n, err)
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditDeleteRelation, DocumentID: doc.ID, AnnotatorID: ann.ID, RelationID: rels[0].ID}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteRelationType(ctx, rt.ID); err != nil || n != 0 {
		t.Errorf("deleting the type: %d %v", n, err)
	}
	if n, err := s.DeleteAttribute(ctx, cert.ID); err != nil || n != 1 {
		t.Errorf("deleting an attribute with one value: %d %v", n, err)
	}
}

func contractSuggestions(t *testing.T, s *storage.Store) {
	ctx, labels, ann, _, doc := setUp(t, s)
	i := indexRunes(contractText, "Lyon")
	n, err := s.ReplaceSuggestions(ctx, ann.ID, "dictionary", []string{doc.ID}, []storage.Suggestion{
		{DocumentID: doc.ID, AnnotatorID: ann.ID, LabelID: labels[0].ID, Start: i, End: i + 4, Text: "Lyon", Score: 0.9, Source: "dictionary"},
		{DocumentID: doc.ID, AnnotatorID: ann.ID, LabelID: labels[1].ID, Start: 11, End: 13, Text: "5%", Score: 0.7, Source: "dictionary"},
	})
	if err != nil || n != 2 {
		t.Fatalf("ReplaceSuggestions: %d %v", n, err)
	}
	ss, err := s.Suggestions(ctx, doc.ID, ann.ID)
	if err != nil || len(ss) != 2 {
		t.Fatalf("suggestions: %v %v", ss, err)
	}
	var lyon, fig storage.Suggestion
	for _, x := range ss {
		if x.Text == "Lyon" {
			lyon = x
		} else {
			fig = x
		}
	}
	sp, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, LabelID: lyon.LabelID, Start: lyon.Start, End: lyon.End, SuggestionID: lyon.ID})
	if err != nil {
		t.Fatal(err)
	}
	if sp.Suggestion == "" {
		t.Error("an accepted suggestion's span does not say where it came from")
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditRejectSuggestion, DocumentID: doc.ID, AnnotatorID: ann.ID, SuggestionID: fig.ID}); err != nil {
		t.Fatal(err)
	}
	rej, err := s.Rejections(ctx, ann.ID)
	if err != nil || len(rej) != 1 || rej[0].Start != 11 {
		t.Errorf("rejections: %v %v", rej, err)
	}
	if _, err := s.SaveModel(ctx, ann.ID, "tagger", []byte{0, 1, 2, 255}, `{"examples": 3}`); err != nil {
		t.Fatal(err)
	}
	m, ok, err := s.LatestModel(ctx, ann.ID, "tagger")
	if err != nil || !ok || len(m.Data) != 4 || m.Data[3] != 255 {
		t.Errorf("the model read back: %v %v %v", m, ok, err)
	}
}

func contractDocumentList(t *testing.T, s *storage.Store) {
	ctx, labels, ann, _, doc := setUp(t, s)
	docs, _, err := s.ImportDocuments(ctx, []storage.NewDocument{
		{Title: "Lyon rents", Text: "Lyon.\n", FileName: "lyon.txt"},
		{Title: "ábaco", Text: "Ábaco.\n", FileName: "abaco.txt"},
	})
	if err != nil {
		t.Fatal(err)
	}
	seqs, err := s.DocumentSeqs(ctx, storage.DocFilter{AnnotatorID: ann.ID})
	if err != nil || len(seqs) != 3 {
		t.Fatalf("all documents: %v %v", seqs, err)
	}
	rows, err := s.DocumentsBySeq(ctx, ann.ID, seqs)
	if err != nil || len(rows) != 3 {
		t.Fatalf("rows: %v %v", rows, err)
	}
	if seqs, err := s.DocumentSeqs(ctx, storage.DocFilter{AnnotatorID: ann.ID, Text: "lyon"}); err != nil || len(seqs) != 1 {
		t.Errorf("filter lyon: %v %v", seqs, err)
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, LabelID: labels[0].ID, Start: 0, End: 5}); err != nil {
		t.Fatal(err)
	}
	if seqs, err := s.DocumentSeqs(ctx, storage.DocFilter{AnnotatorID: ann.ID, Status: storage.StatusInProgress}); err != nil || len(seqs) != 1 {
		t.Errorf("in progress: %v %v", seqs, err)
	}
	seq, err := s.DocumentSeq(ctx, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	next, ok, err := s.NextUnfinished(ctx, storage.DocFilter{AnnotatorID: ann.ID}, seq)
	if err != nil || !ok || next == doc.ID {
		t.Errorf("next unfinished after the first: %v %v %v", next, ok, err)
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditRenameDocument, DocumentID: docs[0].ID, AnnotatorID: ann.ID, Title: "Zürich rents"}); err != nil {
		t.Fatal(err)
	}
	if seqs, err := s.DocumentSeqs(ctx, storage.DocFilter{AnnotatorID: ann.ID, Text: "zürich"}); err != nil || len(seqs) != 1 {
		t.Errorf("filter after a rename: %v %v", seqs, err)
	}
}

func contractSearchAndRecords(t *testing.T, s *storage.Store) {
	ctx, labels, ann, _, doc := setUp(t, s)
	var found []storage.SearchMatch
	if err := s.Search(ctx, storage.SearchQuery{Text: "rents", Mode: storage.SearchWords}, func(m storage.SearchMatch) error {
		found = append(found, m)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(found) != 2 || found[0].DocumentID != doc.ID || runes(contractText, found[0].Start, found[0].End) != "Rents" {
		t.Errorf("search rents: %+v", found)
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, LabelID: labels[1].ID, Start: 11, End: 16}); err != nil {
		t.Fatal(err)
	}
	var recs []storage.Record
	if err := s.EachRecord(ctx, storage.RecordFilter{}, func(r storage.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || len(recs[0].Spans) != 1 || recs[0].Spans[0].Text != "5% 👍🏽" {
		t.Errorf("records: %+v", recs)
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Documents != 1 || st.Spans != 1 {
		t.Errorf("stats: %+v %v", st, err)
	}
	rows, err := s.SpanRows(ctx, storage.SpanFilter{AnnotatorID: ann.ID})
	if err != nil || len(rows) != 1 {
		t.Errorf("span rows: %v %v", rows, err)
	}
}

func contractLabelSchemaEdits(t *testing.T, s *storage.Store) {
	ctx, labels, ann, _, doc := setUp(t, s)
	set, _ := s.DefaultLabelSet(ctx)
	l, err := s.CreateLabel(ctx, storage.Label{SetID: set.ID, Name: "Actor", Color: "#cc79a7", Key: "4"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateLabel(ctx, storage.Label{SetID: set.ID, Name: "actor", Color: "#cc79a7"}); !errors.Is(err, storage.ErrInvalidLabel) {
		t.Errorf("a second label of the same name: %v", err)
	}
	l.Name = "Person"
	if err := s.UpdateLabel(ctx, l); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, LabelID: l.ID, Start: 0, End: 5}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.LabelUsage(ctx, l.ID); err != nil || n != 1 {
		t.Errorf("usage %d %v", n, err)
	}
	if n, err := s.DeleteLabel(ctx, l.ID); err != nil || n != 1 {
		t.Errorf("delete label: %d %v", n, err)
	}
	if sp, _ := s.Spans(ctx, doc.ID, ann.ID); len(sp) != 0 {
		t.Errorf("spans of a deleted label remain: %v", sp)
	}
	if got, _ := s.Labels(ctx, set.ID); len(got) != len(labels) {
		t.Errorf("labels after the delete: %d, want %d", len(got), len(labels))
	}
	gold, err := s.EnsureGold(ctx)
	if err != nil || !storage.IsGold(gold.Name) {
		t.Errorf("gold: %v %v", gold, err)
	}
}

// contractImport brings records in through the store's importer (what the
// window's File ▸ Import uses): a document, spans of a named annotator and
// a relation, and a second run adds nothing.
func contractImport(t *testing.T, s *storage.Store) {
	ctx := context.Background()
	Analysts(t, s)
	rec := storage.ImportRecord{
		Doc: storage.NewDocument{Title: "Rents", Text: contractText, FileName: "rents.jsonl"},
		Spans: []storage.ImportSpan{
			{Start: 11, End: 16, Label: "Figure", Annotator: "ann"},
			{Start: 0, End: 10, Label: "Claim", Annotator: "ann"},
		},
		Relations: []storage.ImportRelation{{From: 0, To: 1, Type: "supports"}},
	}
	for run := range 2 {
		imp, err := s.BeginImport(ctx, storage.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := imp.Add(rec); err != nil {
			imp.Rollback()
			t.Fatal(err)
		}
		sum, err := imp.Commit()
		if err != nil {
			t.Fatal(err)
		}
		if run == 0 && (sum.Spans != 2 || sum.Documents != 1) {
			t.Errorf("the first import: %+v", sum)
		}
		if run == 1 && (sum.Spans != 0 || sum.Documents != 0) {
			t.Errorf("the second import added: %+v", sum)
		}
	}
	recs := 0
	if err := s.EachRecord(ctx, storage.RecordFilter{}, func(r storage.Record) error {
		recs++
		if len(r.Spans) != 2 || len(r.Relations) != 1 || r.Spans[0].Text != "Rents rose" && r.Spans[1].Text != "Rents rose" {
			t.Errorf("imported record: %+v", r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if recs != 1 {
		t.Errorf("%d records", recs)
	}
}

// contractMerge: work moves both ways with the same IDs. A copy of the
// store (Backup) is worked on offline; meanwhile the store goes on; the
// copy merged back brings its relabel, deletion, new spans, new document,
// new annotator, status and relation, keeps what the store did meanwhile,
// and merging it again changes nothing.
func contractMerge(t *testing.T, s *storage.Store) {
	ctx, labels, ann, bob, doc := setUp(t, s)
	span := func(st *storage.Store, docID string, a storage.Annotator, label, from, to int) storage.Span {
		t.Helper()
		sp, err := st.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: docID, AnnotatorID: a.ID, LabelID: labels[label].ID, Start: from, End: to})
		if err != nil {
			t.Fatal(err)
		}
		return sp
	}
	apply := func(st *storage.Store, e storage.Edit) {
		t.Helper()
		if _, err := st.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	fig := len([]rune("Rents rose "))
	ar := len([]rune("Rents rose 5% 👍🏽 — “a record”.\r\n"))
	claim := span(s, doc.ID, ann, 0, 0, 10)       // relabelled offline
	figure := span(s, doc.ID, ann, 1, fig, fig+5) // deleted offline
	bobs := span(s, doc.ID, bob, 0, ar, ar+3)     // left alone

	path := filepath.Join(t.TempDir(), "offline.db")
	if err := s.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	off, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	apply(off, storage.Edit{Kind: storage.EditRelabelSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, SpanID: claim.ID, LabelID: labels[2].ID})
	apply(off, storage.Edit{Kind: storage.EditDeleteSpan, DocumentID: doc.ID, AnnotatorID: ann.ID, SpanID: figure.ID})
	arabic := span(off, doc.ID, ann, 0, ar, ar+9)
	apply(off, storage.Edit{Kind: storage.EditSetStatus, DocumentID: doc.ID, AnnotatorID: ann.ID, Status: storage.StatusDone})
	set, err := off.DefaultLabelSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := off.CreateRelationType(ctx, storage.RelationType{SetID: set.ID, Name: "says", Color: "#0072b2", Directed: true})
	if err != nil {
		t.Fatal(err)
	}
	apply(off, storage.Edit{Kind: storage.EditCreateRelation, DocumentID: doc.ID, AnnotatorID: ann.ID, TypeID: rt.ID, From: arabic.ID, To: claim.ID})
	cy, err := off.EnsureAnnotator(ctx, "cy")
	if err != nil {
		t.Fatal(err)
	}
	lyon := "Loyers à Lyon — “hausse” 👍🏽\r\nارتفعت الإيجارات."
	nd, _, err := off.ImportDocuments(ctx, []storage.NewDocument{{Title: "Lyon", Text: lyon, FileName: "lyon.txt", Format: "txt"}})
	if err != nil {
		t.Fatal(err)
	}
	cys := span(off, nd[0].ID, cy, 1, 10, 13)
	if err := off.Close(); err != nil {
		t.Fatal(err)
	}
	later := span(s, doc.ID, bob, 1, fig, fig+2) // the store goes on meanwhile

	sum, err := s.Merge(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if sum.DocumentsAdded != 1 || sum.DocumentsMatched != 1 || sum.AnnotatorsAdded != 1 || sum.SpansAdded != 2 ||
		sum.SpansUpdated != 1 || sum.SpansDeleted != 1 || sum.RelationsAdded != 1 || sum.RelationTypesAdded != 1 || sum.StatusesUpdated != 2 { // ann done, cy in progress
		t.Errorf("first merge: %+v", sum)
	}
	spans, err := s.Spans(ctx, doc.ID, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]storage.Span{}
	for _, sp := range spans {
		got[sp.ID] = sp
	}
	if len(got) != 2 || got[claim.ID].LabelID != labels[2].ID || got[arabic.ID].Text != "قال الوزي" {
		t.Errorf("ann's spans after the merge: %+v", spans)
	}
	if bs, err := s.Spans(ctx, doc.ID, bob.ID); err != nil || len(bs) != 2 || !(bs[0].ID == bobs.ID || bs[1].ID == bobs.ID) || !(bs[0].ID == later.ID || bs[1].ID == later.ID) {
		t.Errorf("bob's spans after the merge: %+v %v", bs, err)
	}
	if st, err := s.Status(ctx, doc.ID, ann.ID); err != nil || st != storage.StatusDone {
		t.Errorf("ann's status %q %v", st, err)
	}
	if rels, err := s.Relations(ctx, doc.ID, ann.ID); err != nil || len(rels) != 1 || rels[0].From != arabic.ID || rels[0].To != claim.ID {
		t.Errorf("relations after the merge: %+v %v", rels, err)
	}
	lyonDoc, err := s.Document(ctx, nd[0].ID)
	if err != nil || lyonDoc.Text != lyon {
		t.Fatalf("the new document: %q %v", lyonDoc.Text, err)
	}
	cyOnServer := ""
	as, err := s.Annotators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if a.Name == "cy" {
			cyOnServer = a.ID
		}
	}
	if cyOnServer != cy.ID {
		t.Errorf("cy is %q here, %q in the file", cyOnServer, cy.ID)
	}
	if cs, err := s.Spans(ctx, nd[0].ID, cy.ID); err != nil || len(cs) != 1 || cs[0].ID != cys.ID || cs[0].Text != runes(lyon, 10, 13) {
		t.Errorf("cy's span: %+v %v", cs, err)
	}

	// Again: nothing to do.
	again, err := s.Merge(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if again.SpansAdded+again.SpansUpdated+again.SpansDeleted+again.DocumentsAdded+again.AnnotatorsAdded+again.RelationsAdded+again.StatusesUpdated != 0 {
		t.Errorf("second merge: %+v", again)
	}

	// Undo takes the merge's last change of ann's layer back: the status,
	// then the relabel or the deletion, recorded as merge_span.
	if e, ok, err := s.Undo(ctx, ann.ID, doc.ID); err != nil || !ok {
		t.Fatalf("undo after the merge: %+v %v %v", e, ok, err)
	}

	// A file that is not a Gloss database changes nothing.
	bad := filepath.Join(t.TempDir(), "notes.db")
	if err := os.WriteFile(bad, []byte("not a database at all, just some notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Merge(ctx, bad); !errors.Is(err, storage.ErrNotGloss) {
		t.Errorf("merging a text file: %v, want ErrNotGloss", err)
	}
}
