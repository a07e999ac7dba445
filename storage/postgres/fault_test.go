package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"gloss/storage/postgres/pgtest"
)

// wordsDoc is a text of n words, some after an emoji, and the code-point
// extent of each word.
func wordsDoc(n int) (string, [][2]int) {
	var b strings.Builder
	var words [][2]int
	at := 0
	for i := 0; i < n; i++ {
		if i%7 == 3 {
			b.WriteString("👍🏽 ") // two code points and a space
			at += 3
		}
		w := fmt.Sprintf("w%d", i)
		b.WriteString(w + " ")
		words = append(words, [2]int{at, at + len(w)})
		at += len(w) + 1
	}
	b.WriteString("\n")
	return b.String(), words
}

// TestPostgresServerRestart restarts the server (pg_ctl stop -m fast, then
// start) under an analyst who is labelling: what is acknowledged is kept,
// what fails is not there, a write while the server is down fails within
// its context's time, and the same store works again afterwards.
func TestPostgresServerRestart(t *testing.T) {
	pgtest.Restartable(t)
	ctx := context.Background()
	tm := newTeam(t)
	text, words := wordsDoc(3000)
	doc, err := tm.lead.EnsureDocument(ctx, "Words", text)
	if err != nil {
		t.Fatal(err)
	}
	l, err := tm.lead.EnsureLabel(ctx, "Figure", "#e69f00", "2")
	if err != nil {
		t.Fatal(err)
	}

	// Every attempt labels a word of its own, so that its outcome can be
	// told from the table by its extent alone.
	const timeout = 2 * time.Second
	var mu sync.Mutex
	acked := map[[2]int]string{} // extent → span ID
	var failed [][2]int
	create := func(word int) (time.Duration, error) {
		cctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		w := words[word]
		began := time.Now()
		sp, err := tm.ann.CreateSpan(cctx, doc.ID, l.ID, w[0], w[1])
		took := time.Since(began)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			failed = append(failed, w)
		} else {
			acked[w] = sp.ID
		}
		return took, err
	}

	// A listener (bo's) started before the restart.
	var heardBefore, heardAfter int // spans heard, under mu
	hear := func(n *int) func(Change) {
		return func(c Change) {
			if c.Table == "spans" && c.Op == "insert" {
				mu.Lock()
				*n += c.Count
				mu.Unlock()
			}
		}
	}
	heard := func(n *int) int {
		mu.Lock()
		defer mu.Unlock()
		return *n
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	oldDone, err := tm.bo.Listen(lctx, hear(&heardBefore))
	if err != nil {
		t.Fatal(err)
	}

	for i := 0; i < 5; i++ {
		if _, err := create(i); err != nil {
			t.Fatalf("before the restart: %v", err)
		}
	}
	waitFor(t, "the listener to hear 5 spans before the restart", func() bool { return heard(&heardBefore) == 5 })

	// The analyst keeps labelling through the restart, as fast as the
	// server answers (so that the stop finds a transaction under way) and
	// every 20 ms while it fails; it stops once it has written after it.
	type attempt struct {
		word int
		took time.Duration
		err  error
		at   time.Time
	}
	var restarted time.Time // when the server takes connections again
	var attempts []attempt
	stop := make(chan struct{})
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		var pause time.Duration
		for word := 100; word < len(words); word++ {
			select {
			case <-stop:
				return
			case <-time.After(pause):
			}
			took, err := create(word)
			mu.Lock()
			attempts = append(attempts, attempt{word, took, err, time.Now()})
			mu.Unlock()
			if pause = 0; err != nil {
				pause = 20 * time.Millisecond
			}
		}
	}()
	time.Sleep(100 * time.Millisecond)

	downAt := time.Now()
	pgtest.Restart(t, func() {
		t.Logf("pg_ctl stop -m fast took %v", time.Since(downAt))
		// The listener says it lost the server, so its caller can listen
		// again.
		select {
		case err := <-oldDone:
			if err == nil {
				t.Error("the listener ended with nil when the server went down, want an error")
			} else {
				t.Logf("the listener reports: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("the listener did not report the server going down within 5 s")
		}
		// A write while the server is down fails, within its context's
		// time, and says why.
		for i := 0; i < 3; i++ {
			took, err := create(10 + i)
			switch {
			case err == nil:
				t.Errorf("CreateSpan #%d while the server is down succeeded", i+1)
			case took > timeout+500*time.Millisecond:
				t.Errorf("CreateSpan #%d while the server is down took %v, more than its %v context", i+1, took, timeout)
			case errors.Is(err, ErrConflict) || errors.Is(err, ErrForbidden) || errors.Is(err, ErrInvalidSpan):
				t.Errorf("CreateSpan #%d while the server is down: %v, not an error of the connection", i+1, err)
			default:
				t.Logf("CreateSpan #%d while the server is down: %v after %v", i+1, err, took)
			}
		}
		rctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		if _, err := tm.ann.Spans(rctx, doc.ID); err == nil {
			t.Error("Spans while the server is down succeeded")
		}
		time.Sleep(300 * time.Millisecond) // down a while, under the writer
	})
	restarted = time.Now()
	t.Logf("down and up again in %v", restarted.Sub(downAt))

	// The same store, not reopened, writes again at once.
	if took, err := create(20); err != nil {
		t.Errorf("the first CreateSpan after the restart: %v (after %v)", err, took)
	}
	if _, err := create(21); err != nil {
		t.Errorf("the second CreateSpan after the restart: %v", err)
	}
	if _, err := tm.ann.Spans(ctx, doc.ID); err != nil {
		t.Errorf("Spans after the restart: %v", err)
	}
	waitFor(t, "the writer to write after the restart", func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, a := range attempts {
			if a.at.After(restarted) && a.err == nil {
				return true
			}
		}
		return false
	})
	close(stop)
	<-writerDone

	// A new listener hears new spans.
	newDone, err := tm.bo.Listen(lctx, hear(&heardAfter))
	if err != nil {
		t.Fatalf("Listen after the restart: %v", err)
	}
	for i := 30; i < 33; i++ {
		if _, err := create(i); err != nil {
			t.Fatalf("after the restart: %v", err)
		}
	}
	waitFor(t, "the new listener to hear 3 spans", func() bool { return heard(&heardAfter) == 3 })

	// The writer's story: acknowledged, then failed while down (each
	// within its context's time), then acknowledged again.
	var okBefore, bad, okAfter int
	var slowest time.Duration
	var first error
	for _, a := range attempts {
		slowest = max(slowest, a.took)
		switch {
		case a.err == nil && a.at.Before(downAt):
			okBefore++
		case a.err == nil:
			okAfter++
		default:
			if bad++; first == nil {
				first = a.err
			}
			if a.took > timeout+500*time.Millisecond {
				t.Errorf("word %d: failed after %v, more than its %v context: %v", a.word, a.took, timeout, a.err)
			}
			if a.at.Before(downAt) || a.at.After(restarted.Add(time.Second)) {
				t.Errorf("word %d failed at %v, not while the server was restarting: %v",
					a.word, a.at.Sub(downAt), a.err)
			}
		}
	}
	t.Logf("the writer: %d spans before the restart, %d failed during it, %d after; slowest answer %v; first failure: %v",
		okBefore, bad, okAfter, slowest, first)
	if bad == 0 {
		t.Error("no write of the writer failed while the server was down")
	}

	// The table holds every acknowledged span, once, and no failed one.
	admin, err := pgx.Connect(ctx, tm.db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	rows, err := admin.Query(ctx, `SELECT id, start, "end", annotator_id FROM spans WHERE document_id = $1`, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[[2]int]string{}
	for rows.Next() {
		var id, who string
		var w [2]int
		if err := rows.Scan(&id, &w[0], &w[1], &who); err != nil {
			t.Fatal(err)
		}
		if who != tm.ann.Me().ID {
			t.Errorf("span %s is in layer %s, not ann's", id, who)
		}
		if _, twice := stored[w]; twice {
			t.Errorf("two spans on %v", w)
		}
		stored[w] = id
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for w, id := range acked {
		if stored[w] != id {
			t.Errorf("acknowledged span %s on %v: the table has %q", id, w, stored[w])
		}
	}
	for _, w := range failed {
		if id, ok := stored[w]; ok {
			t.Errorf("a CreateSpan on %v failed, yet span %s is there", w, id)
		}
	}
	if len(stored) != len(acked) {
		t.Errorf("the table has %d spans, %d were acknowledged", len(stored), len(acked))
	}
	cancel()
	if err := <-newDone; err != nil {
		t.Errorf("the new listener ended with %v, want nil after cancel", err)
	}
}

// waitFor waits up to 5 s for cond, failing t with what it waited for.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 5 s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestPostgresServerQuickRestart: after a restart quicker than a second,
// the pool's idle connections are dead but not pinged (pgxpool pings only
// those idle for over a second); the first reads and writes on them must
// not fail on that account.
func TestPostgresServerQuickRestart(t *testing.T) {
	pgtest.Restartable(t)
	ctx := context.Background()
	tm := newTeam(t)
	text, words := wordsDoc(50)
	doc, err := tm.lead.EnsureDocument(ctx, "Words", text)
	if err != nil {
		t.Fatal(err)
	}
	l, err := tm.lead.EnsureLabel(ctx, "Figure", "#e69f00", "2")
	if err != nil {
		t.Fatal(err)
	}
	// Fill ann's pool with connections, all idle afterwards.
	var wg sync.WaitGroup
	for i := 0; i < int(tm.ann.pool.Config().MaxConns); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := tm.ann.CreateSpan(ctx, doc.ID, l.ID, words[i][0], words[i][1]); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	idle := tm.ann.pool.Stat().IdleConns()
	began := time.Now()
	pgtest.Restart(t, nil)
	t.Logf("restarted in %v with %d idle connections in the pool", time.Since(began), idle)
	if time.Since(began) > 900*time.Millisecond {
		t.Log("the restart took the best part of a second: the pool may ping the connections, and this test proves little")
	}
	if _, err := tm.ann.Spans(ctx, doc.ID); err != nil {
		t.Errorf("Spans at once after the restart: %v", err)
	}
	for i := 10; i < 10+int(tm.ann.pool.Config().MaxConns)+1; i++ {
		if _, err := tm.ann.CreateSpan(ctx, doc.ID, l.ID, words[i][0], words[i][1]); err != nil {
			t.Errorf("CreateSpan #%d at once after the restart: %v", i-9, err)
		}
	}
	// The lead's pool too (EnsureDocument and EnsureLabel begin the same way).
	if _, err := tm.lead.EnsureLabel(ctx, "Claim", "#0072b2", "1"); err != nil {
		t.Errorf("EnsureLabel after the restart: %v", err)
	}
	// And a listener at once after a quick restart, on bo's pool, whose
	// connections went stale too.
	var wg2 sync.WaitGroup
	for i := 0; i < int(tm.bo.pool.Config().MaxConns); i++ {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			if _, err := tm.bo.Spans(ctx, doc.ID); err != nil {
				t.Error(err)
			}
		}()
	}
	wg2.Wait()
	pgtest.Restart(t, nil)
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if _, err := tm.bo.Listen(lctx, func(Change) {}); err != nil {
		t.Errorf("Listen at once after a quick restart: %v", err)
	}
}
