package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"gloss/storage/postgres/pgtest"
)

// EnvLoadSeconds sets how long TestPostgresLoad labels (seconds); by
// default 5, with -short 1.
const EnvLoadSeconds = "GLOSS_PG_LOAD_SECONDS"

// openAs adds an analyst (a lead when lead) named from base to the
// database, with a password, and opens a store as them, closed when tb
// ends.
func openAs(tb testing.TB, db *pgtest.Database, base string, lead bool) *Store {
	tb.Helper()
	ctx := context.Background()
	name, pw := db.Role(base), "pw-"+base
	if err := AddAnalyst(ctx, db.URL, name, pw, lead); err != nil {
		tb.Fatal(err)
	}
	s, err := Open(ctx, db.As(name, pw))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// loadDoc is a document of the load test and the code-point extents of its
// words.
type loadDoc struct {
	id    string
	words [][2]int
}

// loadText is the i-th short article of the load test: a few words, emoji
// (one with a skin-tone modifier, a flag of two code points) among them.
func loadText(i int) string {
	return fmt.Sprintf("Article %d: rents rose 👍🏽 %d%% in 20%02d, café owners said 🏠; the council 🇩🇪 disagreed again.\n",
		i, i%37, i%25)
}

// wordExtents is the code-point extent of each word (run of non-spaces) of
// text.
func wordExtents(text string) [][2]int {
	var out [][2]int
	n, start := 0, -1
	for _, r := range text {
		space := r == ' ' || r == '\n'
		switch {
		case !space && start < 0:
			start = n
		case space && start >= 0:
			out = append(out, [2]int{start, n})
			start = -1
		}
		n++
	}
	if start >= 0 {
		out = append(out, [2]int{start, n})
	}
	return out
}

// extent is one span an analyst asked for.
type extent struct {
	doc        int
	start, end int
}

// TestPostgresLoad: 50 analysts, each on a store (a pool) of their own,
// label and read for a while as fast as they can, while two listeners count
// what they hear. Every acknowledged span must be in the table once, in its
// analyst's layer, and nothing else; the same extent twice is ErrConflict;
// nothing deadlocks; the listeners hear every span. The figures are logged:
// docs/reliability.md ("Load and faults") has one run's.
func TestPostgresLoad(t *testing.T) {
	const analysts = 50
	docs, seconds := 200, 5.0
	if testing.Short() {
		docs, seconds = 50, 1
	}
	if v := os.Getenv(EnvLoadSeconds); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 {
			t.Fatalf("%s=%q: want a number of seconds", EnvLoadSeconds, v)
		}
		seconds = f
	}
	ctx := context.Background()
	setup := time.Now()
	db := newServer(t)
	lead := openAs(t, db, "lead", true)
	label, err := lead.EnsureLabel(ctx, "Claim", "#0072b2", "1")
	if err != nil {
		t.Fatal(err)
	}
	texts := make([]loadDoc, docs)
	for i := range texts {
		text := loadText(i)
		d, err := lead.EnsureDocument(ctx, fmt.Sprintf("Article %d", i), text)
		if err != nil {
			t.Fatal(err)
		}
		if d.Length != utf8.RuneCountInString(text) {
			t.Fatalf("document %d: length %d, want %d code points", i, d.Length, utf8.RuneCountInString(text))
		}
		texts[i] = loadDoc{id: d.ID, words: wordExtents(text)}
	}
	stores := make([]*Store, analysts)
	for i := range stores {
		stores[i] = openAs(t, db, fmt.Sprintf("a%02d", i), false)
	}

	// Two listeners, each on a store of its own (the lead's role), count
	// the spans they hear per document and annotator.
	type key struct{ doc, annotator string }
	var hmu sync.Mutex
	heard := []map[key]int{{}, {}}
	messages := make([]int, len(heard))
	var lastHeard time.Time
	lctx, stopListening := context.WithCancel(ctx)
	defer stopListening()
	var listenDone []<-chan error
	for i := range heard {
		ls, err := Open(ctx, db.As(lead.Me().Name, "pw-lead"))
		if err != nil {
			t.Fatal(err)
		}
		defer ls.Close()
		done, err := ls.Listen(lctx, func(c Change) {
			if c.Table != "spans" || c.Op != "insert" {
				return
			}
			hmu.Lock()
			heard[i][key{c.DocumentID, c.AnnotatorID}] += c.Count
			messages[i]++
			lastHeard = time.Now()
			hmu.Unlock()
		})
		if err != nil {
			t.Fatal(err)
		}
		listenDone = append(listenDone, done)
	}
	t.Logf("setup: %d documents, %d analysts, %d listeners in %v", docs, analysts, len(heard), time.Since(setup))

	// What each analyst did.
	type result struct {
		acked             map[string]extent // span ID → extent
		lastAck           time.Time         // the last acknowledged CreateSpan's answer
		conflicts         int               // ErrConflict on an extent of their own
		latencies         []time.Duration   // every CreateSpan
		reads, readSpans  int
		deadlocks, errors int
	}
	results := make([]result, analysts)
	// A bound on the whole run: a hang fails it instead of the test
	// binary's timeout.
	rctx, cancel := context.WithTimeout(ctx, time.Duration(seconds*float64(time.Second))+60*time.Second)
	defer cancel()
	began := time.Now()
	end := began.Add(time.Duration(seconds * float64(time.Second)))
	var wg sync.WaitGroup
	for a := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, res := stores[a], &results[a]
			res.acked = map[string]extent{}
			mine := map[extent]bool{}
			var order []extent
			rnd := rand.New(rand.NewPCG(uint64(a), uint64(began.UnixNano())))
			fail := func(what string, err error) {
				var pe *pgconn.PgError
				if errors.As(err, &pe) && pe.Code == "40P01" {
					res.deadlocks++
				}
				if res.errors++; res.errors <= 3 {
					t.Errorf("analyst %d: %s: %v", a, what, err)
				}
			}
			for time.Now().Before(end) && rctx.Err() == nil {
				if rnd.IntN(4) == 0 {
					d := texts[rnd.IntN(len(texts))]
					spans, err := s.Spans(rctx, d.id)
					if err != nil {
						fail("Spans", err)
						continue
					}
					res.reads++
					res.readSpans += len(spans)
					continue
				}
				var e extent
				repeat := len(order) > 0 && rnd.IntN(10) == 0
				if repeat {
					e = order[rnd.IntN(len(order))]
				} else {
					e.doc = rnd.IntN(len(texts))
					w := texts[e.doc].words
					first := rnd.IntN(len(w))
					last := min(first+rnd.IntN(3), len(w)-1)
					e.start, e.end = w[first][0], w[last][1]
				}
				t0 := time.Now()
				sp, err := s.CreateSpan(rctx, texts[e.doc].id, label.ID, e.start, e.end)
				t1 := time.Now()
				res.latencies = append(res.latencies, t1.Sub(t0))
				switch {
				case err == nil && mine[e]:
					t.Errorf("analyst %d: the same extent %+v twice was accepted", a, e)
				case err == nil:
					res.acked[sp.ID] = e
					res.lastAck = t1
					mine[e] = true
					order = append(order, e)
				case errors.Is(err, ErrConflict) && mine[e]:
					res.conflicts++
				default:
					fail(fmt.Sprintf("CreateSpan %+v", e), err)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	if rctx.Err() != nil {
		t.Fatalf("the analysts were still at work %v after the end: %v", time.Since(end), rctx.Err())
	}

	// Sums.
	var total result
	total.acked = map[string]extent{}
	owner := map[string]int{} // span ID → analyst
	for a, r := range results {
		for id, e := range r.acked {
			if _, twice := owner[id]; twice {
				t.Errorf("span ID %s acknowledged to analysts %d and %d", id, owner[id], a)
			}
			owner[id] = a
			total.acked[id] = e
		}
		if r.lastAck.After(total.lastAck) {
			total.lastAck = r.lastAck
		}
		total.conflicts += r.conflicts
		total.latencies = append(total.latencies, r.latencies...)
		total.reads += r.reads
		total.readSpans += r.readSpans
		total.deadlocks += r.deadlocks
		total.errors += r.errors
	}
	if total.deadlocks > 0 {
		t.Errorf("%d deadlocks (SQLSTATE 40P01)", total.deadlocks)
	}
	if total.errors > 0 {
		t.Errorf("%d errors in all (the first 3 of each analyst above)", total.errors)
	}

	// The listeners hear every span, given a few seconds to drain.
	wrote := total.lastAck
	spansHeard := func(i int) int {
		hmu.Lock()
		defer hmu.Unlock()
		n := 0
		for _, c := range heard[i] {
			n += c
		}
		return n
	}
	for i := range heard {
		for spansHeard(i) < len(total.acked) && time.Since(wrote) < 5*time.Second {
			time.Sleep(10 * time.Millisecond)
		}
	}
	hmu.Lock()
	drained := lastHeard.Sub(wrote) // the last span heard after the last one acknowledged
	hmu.Unlock()
	stopListening()
	for i, done := range listenDone {
		if err := <-done; err != nil {
			t.Errorf("listener %d ended with %v", i, err)
		}
	}

	// The table, read as the owner: every acknowledged span once, in its
	// analyst's layer, and nothing else.
	admin, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	docIndex := map[string]int{}
	for i, d := range texts {
		docIndex[d.id] = i
	}
	rows, err := admin.Query(ctx, `SELECT id, document_id, annotator_id, label_id, start, "end" FROM spans`)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	perKey := map[key]int{}
	var strays, misplaced int
	for rows.Next() {
		var id, doc, who, lab string
		var start, end int
		if err := rows.Scan(&id, &doc, &who, &lab, &start, &end); err != nil {
			t.Fatal(err)
		}
		stored[id] = true
		perKey[key{doc, who}]++
		e, ok := total.acked[id]
		switch {
		case !ok:
			if strays++; strays <= 5 {
				t.Errorf("span %s (%s [%d:%d)) is in the table, but no CreateSpan acknowledged it", id, who, start, end)
			}
		case who != stores[owner[id]].Me().ID || lab != label.ID || doc != texts[e.doc].id || start != e.start || end != e.end:
			if misplaced++; misplaced <= 5 {
				t.Errorf("span %s is %s's [%d:%d) on %s, but analyst %d (%s) made %+v",
					id, who, start, end, doc, owner[id], stores[owner[id]].Me().ID, e)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	missing := 0
	for id := range total.acked {
		if !stored[id] {
			if missing++; missing <= 5 {
				t.Errorf("acknowledged span %s is not in the table", id)
			}
		}
	}
	if strays+misplaced+missing > 0 {
		t.Errorf("%d spans in the table, %d acknowledged: %d not acknowledged, %d in the wrong place, %d missing",
			len(stored), len(total.acked), strays, misplaced, missing)
	}
	// Each span's history entry is in its own layer too.
	var edits, wrongEdits int
	if err := admin.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE e.annotator_id <> s.annotator_id)
		FROM edits e LEFT JOIN spans s ON s.id = e.span_id WHERE e.kind = 'create_span'`).Scan(&edits, &wrongEdits); err != nil {
		t.Fatal(err)
	}
	if edits != len(total.acked) || wrongEdits != 0 {
		t.Errorf("%d create_span history entries (%d in another layer than their span's), want %d", edits, wrongEdits, len(total.acked))
	}

	// What the listeners heard, per document and annotator, is what the
	// table holds.
	for i := range heard {
		n := spansHeard(i)
		hmu.Lock()
		got := heard[i]
		if n != len(total.acked) {
			t.Errorf("listener %d heard %d spans in %d notifications within %v of the last write, %d were made",
				i, n, messages[i], time.Since(wrote).Round(time.Millisecond), len(total.acked))
		}
		wrong := 0
		for k, n := range perKey {
			if got[k] != n {
				wrong++
			}
		}
		if wrong > 0 {
			t.Errorf("listener %d: %d (document, annotator) pairs heard a count other than the table's", i, wrong)
		}
		hmu.Unlock()
	}

	slices.Sort(total.latencies)
	pct := func(p float64) time.Duration {
		if len(total.latencies) == 0 {
			return 0
		}
		return total.latencies[min(len(total.latencies)-1, int(p*float64(len(total.latencies))))]
	}
	secs := elapsed.Seconds()
	hmu.Lock()
	msgs := fmt.Sprint(messages)
	hmu.Unlock()
	t.Logf("%d analysts for %.1f s: %d spans (%.0f edits/s), %d conflicts on purpose or by chance (%.0f CreateSpan/s in all); "+
		"CreateSpan p50 %v, p95 %v, p99 %v, max %v; %d reads (%.0f reads/s, %.1f spans each); "+
		"listeners heard %d spans each in %s notifications, the last %v after the last acknowledged",
		analysts, secs, len(total.acked), float64(len(total.acked))/secs, total.conflicts,
		float64(len(total.latencies))/secs, pct(0.50).Round(10*time.Microsecond), pct(0.95).Round(10*time.Microsecond),
		pct(0.99).Round(10*time.Microsecond), pct(1).Round(10*time.Microsecond), total.reads, float64(total.reads)/secs,
		float64(total.readSpans)/float64(max(1, total.reads)), spansHeard(0), msgs, drained.Round(10*time.Microsecond))

	// The server counts no deadlock either (its statistics are written
	// when the sessions end).
	for _, s := range stores {
		s.Close()
	}
	time.Sleep(100 * time.Millisecond)
	var deadlocks int64
	if err := admin.QueryRow(ctx, `SELECT coalesce(deadlocks, 0) FROM pg_stat_database WHERE datname = current_database()`).
		Scan(&deadlocks); err != nil {
		t.Fatal(err)
	}
	if deadlocks > 0 {
		t.Errorf("the server counted %d deadlocks", deadlocks)
	}
}

// BenchmarkPostgresCreateSpan: one label action by an analyst, on a server
// of localhost, with another store listening (as a window would).
func BenchmarkPostgresCreateSpan(b *testing.B) {
	ctx := context.Background()
	db := newServer(b)
	lead := openAs(b, db, "lead", true)
	ann := openAs(b, db, "ann", false)
	text, words := wordsDoc(600) // an article of about 3,000 code points
	doc, err := lead.EnsureDocument(ctx, "Words", text)
	if err != nil {
		b.Fatal(err)
	}
	l, err := lead.EnsureLabel(ctx, "Claim", "#0072b2", "1")
	if err != nil {
		b.Fatal(err)
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if _, err := lead.Listen(lctx, func(Change) {}); err != nil {
		b.Fatal(err)
	}
	b.Logf("document of %d code points", doc.Length)
	// Every extent new: words [first, first+n) for n = 1, 2, …
	first, n := 0, 1
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ann.CreateSpan(ctx, doc.ID, l.ID, words[first][0], words[first+n-1][1]); err != nil {
			b.Fatal(err)
		}
		if first++; first+n > len(words) {
			first, n = 0, n+1
		}
	}
}
