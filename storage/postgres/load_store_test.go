package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"gloss/storage"
)

// TestServerStoreLoad: 50 analysts, each with the store a window opens on
// the server (OpenStorage: its own pool and listener), label, undo and read
// as fast as they can for a while. Each keeps what its acknowledged edits
// must have left — per document, the stack of spans it made and did not
// undo — and at the end its layer must be exactly that (no edit lost,
// duplicated or credited to another layer); nothing may deadlock; an
// observer's store must have been told of every span added and removed.
func TestServerStoreLoad(t *testing.T) {
	const analysts = 50
	docs, seconds := 100, 4.0
	if testing.Short() {
		docs, seconds = 30, 1
	}
	ctx := context.Background()
	setup := time.Now()
	db := newServer(t)
	owner := openOwner(t, db)
	var nds []storage.NewDocument
	for i := range docs {
		nds = append(nds, storage.NewDocument{Title: fmt.Sprintf("Article %d", i), Text: loadText(i)})
	}
	ds, _, err := owner.ImportDocuments(ctx, nds)
	if err != nil {
		t.Fatal(err)
	}
	set, err := owner.DefaultLabelSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	labels, err := owner.Labels(ctx, set.ID)
	if err != nil {
		t.Fatal(err)
	}
	stores := make([]*storage.Store, analysts)
	for i := range stores {
		name, pw := db.Role(fmt.Sprintf("a%02d", i)), fmt.Sprintf("pw-%d", i)
		if err := AddAnalyst(ctx, db.URL, name, pw, false); err != nil {
			t.Fatal(err)
		}
		if stores[i], err = OpenStorage(ctx, db.As(name, pw)); err != nil {
			t.Fatal(err)
		}
		defer stores[i].Close()
	}
	// The observer, a window of nobody's, sums what it is told.
	var heard struct {
		sync.Mutex
		added, removed int
	}
	stopObs := make(chan struct{})
	obsDone := make(chan struct{})
	go func() {
		defer close(obsDone)
		take := func() {
			for _, n := range owner.ServerNews() {
				if n.Table != "spans" {
					continue
				}
				heard.Lock()
				switch n.Op {
				case "insert":
					heard.added += n.Count
				case "delete":
					heard.removed += n.Count
				}
				heard.Unlock()
			}
		}
		for {
			select {
			case <-stopObs:
				take()
				return
			case <-time.After(5 * time.Millisecond):
				take()
			}
		}
	}()
	t.Logf("setup: %d documents, %d analysts' stores, %v", docs, analysts, time.Since(setup).Round(time.Millisecond))

	type result struct {
		model            map[string][]string // document -> the spans made and not undone, in order
		creates, undos   int
		conflicts, reads int
		latencies        []time.Duration
		err              error
	}
	results := make([]result, analysts)
	deadline := time.Now().Add(time.Duration(seconds * float64(time.Second)))
	var wg sync.WaitGroup
	for i := range stores {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s, r := stores[i], &results[i]
			r.model = map[string][]string{}
			me, _, _ := s.ServerRole()
			rng := rand.New(rand.NewPCG(uint64(i), 14))
			for time.Now().Before(deadline) {
				d := rng.IntN(docs)
				doc := ds[d].ID
				switch p := rng.IntN(10); {
				case p < 6:
					words := wordExtents(loadText(d))
					w := rng.IntN(len(words))
					n := min(1+rng.IntN(3), len(words)-w)
					began := time.Now()
					sp, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc, AnnotatorID: me.ID,
						LabelID: labels[rng.IntN(len(labels))].ID, Start: words[w][0], End: words[w+n-1][1]})
					r.latencies = append(r.latencies, time.Since(began))
					switch {
					case errors.Is(err, storage.ErrConflict):
						r.conflicts++
					case err != nil:
						r.err = fmt.Errorf("create: %w", err)
						return
					default:
						r.creates++
						r.model[doc] = append(r.model[doc], sp.ID)
					}
				case p < 8:
					began := time.Now()
					_, ok, err := s.Undo(ctx, me.ID, doc)
					r.latencies = append(r.latencies, time.Since(began))
					if err != nil {
						r.err = fmt.Errorf("undo: %w", err)
						return
					}
					if ok != (len(r.model[doc]) > 0) {
						r.err = fmt.Errorf("undo on %s: %v with %d spans of mine there", doc, ok, len(r.model[doc]))
						return
					}
					if ok {
						r.undos++
						r.model[doc] = r.model[doc][:len(r.model[doc])-1]
					}
				default:
					if _, err := s.Spans(ctx, doc, ""); err != nil {
						r.err = fmt.Errorf("read: %w", err)
						return
					}
					r.reads++
				}
			}
		}(i)
	}
	wg.Wait()
	took := time.Since(deadline.Add(-time.Duration(seconds * float64(time.Second))))

	var all []time.Duration
	creates, undos, conflicts, reads, kept := 0, 0, 0, 0, 0
	for i, r := range results {
		if r.err != nil {
			t.Errorf("analyst %d: %v", i, r.err)
		}
		creates += r.creates
		undos += r.undos
		conflicts += r.conflicts
		reads += r.reads
		all = append(all, r.latencies...)
		me, _, _ := stores[i].ServerRole()
		for _, d := range ds {
			got, err := owner.Spans(ctx, d.ID, me.ID)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, sp := range got {
				ids = append(ids, sp.ID)
			}
			want := slices.Clone(r.model[d.ID])
			slices.Sort(ids)
			slices.Sort(want)
			if !slices.Equal(ids, want) {
				t.Errorf("analyst %d, %s: the layer holds %v, the acknowledged edits leave %v", i, d.Title, ids, want)
			}
			kept += len(want)
		}
	}
	var deadlocks int64
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, `SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`).Scan(&deadlocks); err != nil {
		t.Fatal(err)
	}
	if deadlocks > 0 {
		t.Errorf("the server counted %d deadlocks", deadlocks)
	}
	// Every span added and removed is told (given time to drain).
	wait := time.Now().Add(5 * time.Second)
	for {
		heard.Lock()
		a, rm := heard.added, heard.removed
		heard.Unlock()
		if a == creates && rm == undos {
			break
		}
		if time.Now().After(wait) {
			t.Errorf("the observer was told of %d spans added and %d removed; %d were made and %d undone", a, rm, creates, undos)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	close(stopObs)
	<-obsDone
	slices.Sort(all)
	q := func(p float64) time.Duration {
		return all[min(len(all)-1, int(p*float64(len(all))))].Round(100 * time.Microsecond)
	}
	t.Logf("%.1f s: %d spans made, %d undone, %d refused as repeats, %d reads; %.0f edits/s; %d kept", took.Seconds(),
		creates, undos, conflicts, reads, float64(creates+undos)/took.Seconds(), kept)
	if len(all) > 0 {
		t.Logf("edit latency p50 %v, p95 %v, p99 %v, max %v", q(0.5), q(0.95), q(0.99), all[len(all)-1].Round(100*time.Microsecond))
	}
}
