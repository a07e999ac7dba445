package storage

// Crash and multi-process tests. The test binary doubles as the child
// program: started with GLOSS_CRASH_CHILD set, its init runs the child's
// loop and exits before any test runs. The child edits and imports through
// the storage API as fast as it can and writes to standard output, for every
// call, an intent line before it ("? C <span> <label> <start> <end>") and
// "ok" after the call returned nil — each line one write(2), so a kill never
// leaves half a line that could be mistaken for an acknowledgement.

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
)

const (
	childEnv     = "GLOSS_CRASH_CHILD" // child mode: "edit"
	childDBEnv   = "GLOSS_CRASH_DB"
	childDocEnv  = "GLOSS_CRASH_DOC"
	childAnnEnv  = "GLOSS_CRASH_ANNOTATOR"
	childSeedEnv = "GLOSS_CRASH_SEED"
	childOpsEnv  = "GLOSS_CRASH_OPS" // stop after this many calls; 0: until killed
)

// fullRun is set by -tags full (crash_full_test.go) or GLOSS_FULL=1: the long
// versions of the crash tests.
var fullRun = os.Getenv("GLOSS_FULL") == "1"

func init() {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(crashChild(mode))
	}
}

// importText is the text of a document the crash child imports with id.
func importText(id string) string {
	return "Imported by the crash child as " + id + ".\n“Quotes”, — dashes, 👍🏽 and 東京 for good measure.\n"
}

// crashExtent is a span as the crash child tells them apart.
type crashExtent struct {
	start, end int
	label      string
}

// crashWork is what the crash child starts from: its annotator's work on
// the document, as the parent checked it after the last kill.
type crashWork struct {
	s      *Store
	ann    Annotator
	labels []Label
	doc    Document
	taken  map[crashExtent]bool
	spans  map[string]crashExtent
	ids    []string
	status Status
}

// openCrashWork opens the child's database and reads its work; w.s is set
// (to be closed) once the store is open, even on error.
func openCrashWork(ctx context.Context) (w crashWork, err error) {
	if w.s, err = Open(os.Getenv(childDBEnv)); err != nil {
		return w, err
	}
	if w.ann, err = w.s.EnsureAnnotator(ctx, os.Getenv(childAnnEnv)); err != nil {
		return w, err
	}
	set, err := w.s.DefaultLabelSet(ctx)
	if err != nil {
		return w, err
	}
	if w.labels, err = w.s.Labels(ctx, set.ID); err != nil {
		return w, err
	}
	if w.doc, err = w.s.Document(ctx, os.Getenv(childDocEnv)); err != nil {
		return w, err
	}
	have, err := w.s.Spans(ctx, w.doc.ID, w.ann.ID)
	if err != nil {
		return w, err
	}
	w.taken, w.spans = map[crashExtent]bool{}, map[string]crashExtent{}
	for _, sp := range have {
		e := crashExtent{sp.Start, sp.End, sp.LabelID}
		w.taken[e] = true
		w.spans[sp.ID] = e
		w.ids = append(w.ids, sp.ID)
	}
	w.status, err = w.s.Status(ctx, w.doc.ID, w.ann.ID)
	return w, err
}

// crashChild is the child's main; it returns the exit status.
func crashChild(mode string) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(os.Stderr, "crash child: "+format+"\n", args...)
		return 3
	}
	if mode != "edit" {
		return fail("unknown mode %q", mode)
	}
	seed, _ := strconv.ParseUint(os.Getenv(childSeedEnv), 10, 64)
	maxOps, _ := strconv.Atoi(os.Getenv(childOpsEnv))
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	ctx := context.Background()
	// A runaway child stops by itself.
	go func() {
		time.Sleep(2 * time.Minute)
		fmt.Fprintln(os.Stderr, "crash child: still running after 2 minutes")
		os.Exit(4)
	}()

	w, err := openCrashWork(ctx)
	if w.s != nil {
		defer w.s.Close()
	}
	if err != nil {
		return fail("%v", err)
	}
	type extent = crashExtent
	s, ann, labels, doc := w.s, w.ann, w.labels, w.doc
	taken, spans, ids, status := w.taken, w.spans, w.ids, w.status

	say := func(format string, args ...any) {
		// One write per line; standard output is unbuffered.
		if _, err := fmt.Fprintf(os.Stdout, format+"\n", args...); err != nil {
			os.Exit(5)
		}
	}
	removeID := func(id string) {
		i := slices.Index(ids, id)
		ids[i] = ids[len(ids)-1]
		ids = ids[:len(ids)-1]
	}
	for n := 0; maxOps == 0 || n < maxOps; n++ {
		r := rng.IntN(100)
		switch {
		case r < 40 || len(ids) == 0: // create
			var e extent
			for {
				start := rng.IntN(doc.Length - 10)
				e = extent{start, start + 1 + rng.IntN(8), labels[rng.IntN(len(labels))].ID}
				if !taken[e] {
					break
				}
			}
			id := uuid.Must(uuid.NewV7()).String()
			say("? C %s %s %d %d", id, e.label, e.start, e.end)
			if _, err := s.Apply(ctx, Edit{Kind: EditCreateSpan, DocumentID: doc.ID, AnnotatorID: ann.ID,
				SpanID: id, LabelID: e.label, Start: e.start, End: e.end}); err != nil {
				return fail("%v", err)
			}
			say("ok")
			taken[e] = true
			spans[id] = e
			ids = append(ids, id)
			if status == StatusTodo {
				status = StatusInProgress // as Apply does
			}
		case r < 60: // relabel
			id := ids[rng.IntN(len(ids))]
			e := spans[id]
			ne := e
			for _, l := range labels {
				if l.ID != e.label && !taken[extent{e.start, e.end, l.ID}] {
					ne.label = l.ID
					break
				}
			}
			if ne == e {
				continue // every label taken on this extent
			}
			say("? R %s %s", id, ne.label)
			if _, err := s.Apply(ctx, Edit{Kind: EditRelabelSpan, DocumentID: doc.ID, AnnotatorID: ann.ID,
				SpanID: id, LabelID: ne.label}); err != nil {
				return fail("%v", err)
			}
			say("ok")
			delete(taken, e)
			taken[ne] = true
			spans[id] = ne
		case r < 75: // delete
			id := ids[rng.IntN(len(ids))]
			say("? D %s", id)
			if _, err := s.Apply(ctx, Edit{Kind: EditDeleteSpan, DocumentID: doc.ID, AnnotatorID: ann.ID,
				SpanID: id}); err != nil {
				return fail("%v", err)
			}
			say("ok")
			delete(taken, spans[id])
			delete(spans, id)
			removeID(id)
		case r < 85: // status
			next := []Status{StatusInProgress, StatusDone, StatusReviewed}[rng.IntN(3)]
			if next == status {
				continue
			}
			say("? S %s", next)
			if _, err := s.Apply(ctx, Edit{Kind: EditSetStatus, DocumentID: doc.ID, AnnotatorID: ann.ID,
				Status: next}); err != nil {
				return fail("%v", err)
			}
			say("ok")
			status = next
		default: // import a batch of 1 to 4 documents
			batch := make([]NewDocument, 1+rng.IntN(4))
			var bids []string
			for i := range batch {
				id := uuid.Must(uuid.NewV7()).String()
				batch[i] = NewDocument{ID: id, Title: "Crash " + id, Text: importText(id), Format: "txt"}
				bids = append(bids, id)
			}
			say("? I %s", strings.Join(bids, ","))
			if _, _, err := s.ImportDocuments(ctx, batch); err != nil {
				return fail("%v", err)
			}
			say("ok")
		}
	}
	if err := s.Close(); err != nil {
		return fail("%v", err)
	}
	return 0
}

// crashModel is what the acknowledgements say one annotator's work is.
type crashModel struct {
	spans   map[string]spanKey // by span ID
	status  Status
	docs    map[string]bool // imported document IDs (of every child)
	history map[EditKind]int
}

type spanKey struct {
	label      string
	start, end int
}

func newCrashModel() *crashModel {
	return &crashModel{spans: map[string]spanKey{}, status: StatusTodo, docs: map[string]bool{}, history: map[EditKind]int{}}
}

func (m *crashModel) clone() *crashModel {
	c := &crashModel{spans: map[string]spanKey{}, status: m.status, docs: map[string]bool{}, history: map[EditKind]int{}}
	for k, v := range m.spans {
		c.spans[k] = v
	}
	for k, v := range m.docs {
		c.docs[k] = v
	}
	for k, v := range m.history {
		c.history[k] = v
	}
	return c
}

// apply changes m by the intent line op (without its "? ").
func (m *crashModel) apply(op string) error {
	f := strings.Fields(op)
	if len(f) < 2 {
		return fmt.Errorf("bad line %q", op)
	}
	switch f[0] {
	case "C":
		if len(f) != 5 {
			return fmt.Errorf("bad line %q", op)
		}
		start, _ := strconv.Atoi(f[3])
		end, _ := strconv.Atoi(f[4])
		m.spans[f[1]] = spanKey{f[2], start, end}
		m.history[EditCreateSpan]++
		if m.status == StatusTodo {
			m.status = StatusInProgress
		}
	case "R":
		k := m.spans[f[1]]
		k.label = f[2]
		m.spans[f[1]] = k
		m.history[EditRelabelSpan]++
	case "D":
		delete(m.spans, f[1])
		m.history[EditDeleteSpan]++
	case "S":
		if m.status != Status(f[1]) { // no change: not recorded
			m.history[EditSetStatus]++
		}
		m.status = Status(f[1])
	case "I":
		for _, id := range strings.Split(f[1], ",") {
			m.docs[id] = true
		}
	default:
		return fmt.Errorf("bad line %q", op)
	}
	return nil
}

// childRun is what one child said.
type childRun struct {
	acked   []string // intents acknowledged, in order
	pending string   // the intent in flight when it died, or ""
	stderr  string
	err     error // from Wait
}

// startChild starts the test binary as a crash child.
func startChild(t *testing.T, db, docID, annotator string, seed uint64, ops int) (*exec.Cmd, io.Reader, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		childEnv+"=edit",
		childDBEnv+"="+db,
		childDocEnv+"="+docID,
		childAnnEnv+"="+annotator,
		childSeedEnv+"="+strconv.FormatUint(seed, 10),
		childOpsEnv+"="+strconv.Itoa(ops),
	)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stdout, &stderr
}

// readChild reads a child's lines until its standard output closes. A last
// line without its newline (impossible with one write per line, but cheap to
// guard against) counts as not said.
func readChild(r io.Reader) (acked []string, pending string, err error) {
	br := bufio.NewReader(r)
	for {
		line, rerr := br.ReadString('\n')
		if rerr != nil {
			if rerr == io.EOF {
				return acked, pending, nil
			}
			return acked, pending, rerr
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case strings.HasPrefix(line, "? "):
			if pending != "" {
				return acked, pending, fmt.Errorf("intent %q before the previous one %q was acknowledged", line, pending)
			}
			pending = strings.TrimPrefix(line, "? ")
		case line == "ok":
			if pending == "" {
				return acked, pending, errors.New("acknowledgement without intent")
			}
			acked = append(acked, pending)
			pending = ""
		default:
			return acked, pending, fmt.Errorf("unexpected line %q", line)
		}
	}
}

// crashSetup makes a database with the document the children label.
func crashSetup(t *testing.T) (path, docID string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "crash.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.DefaultLabelSet(ctx); err != nil {
		t.Fatal(err)
	}
	d, _, err := s.ImportDocument(ctx, NewDocument{Title: "Target", Text: benchText(42, 5_000)})
	if err != nil {
		t.Fatal(err)
	}
	return path, d.ID
}

// observed is one annotator's work as the database holds it.
type observed struct {
	spans   map[string]spanKey
	status  Status
	docs    map[string]bool
	history map[EditKind]int
}

func observe(t *testing.T, s *Store, docID, annotator, seedDoc string) observed {
	t.Helper()
	ctx := context.Background()
	o := observed{spans: map[string]spanKey{}, docs: map[string]bool{}, history: map[EditKind]int{}}
	var annID string
	err := s.db.QueryRowContext(ctx, `SELECT id FROM annotators WHERE name = ?`, annotator).Scan(&annID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatal(err)
	}
	o.status = StatusTodo
	if annID != "" {
		sps, err := s.Spans(ctx, docID, annID)
		if err != nil {
			t.Fatal(err)
		}
		for _, sp := range sps {
			o.spans[sp.ID] = spanKey{sp.LabelID, sp.Start, sp.End}
		}
		if o.status, err = s.Status(ctx, docID, annID); err != nil {
			t.Fatal(err)
		}
		rows, err := s.db.QueryContext(ctx, `SELECT kind, count(*) FROM edits WHERE annotator_id = ? GROUP BY kind`, annID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k EditKind
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			o.history[k] = n
		}
		rows.Close()
	}
	docs, err := s.DocumentSummaries(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.ID != seedDoc {
			o.docs[d.ID] = true
		}
	}
	// Every document has its text, and it is the text the child imported.
	var orphans int
	if err := s.db.QueryRowContext(ctx, `
		SELECT count(*) FROM documents d LEFT JOIN document_texts t ON t.document_id = d.id
		WHERE t.document_id IS NULL`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans != 0 {
		t.Errorf("%d documents without their text", orphans)
	}
	return o
}

func sameWork(m *crashModel, o observed) bool {
	if m.status != o.status || len(m.spans) != len(o.spans) || len(m.docs) != len(o.docs) {
		return false
	}
	for id, k := range m.spans {
		if o.spans[id] != k {
			return false
		}
	}
	for id := range m.docs {
		if !o.docs[id] {
			return false
		}
	}
	for _, k := range []EditKind{EditCreateSpan, EditRelabelSpan, EditDeleteSpan, EditSetStatus, EditSetNote} {
		if m.history[k] != o.history[k] {
			return false
		}
	}
	return true
}

// describeDiff says how the database differs from the model, for the log.
func describeDiff(m *crashModel, o observed) string {
	var b strings.Builder
	fmt.Fprintf(&b, "status %s / %s; spans %d / %d; docs %d / %d; history %v / %v",
		m.status, o.status, len(m.spans), len(o.spans), len(m.docs), len(o.docs), m.history, o.history)
	n := 0
	for id, k := range m.spans {
		if o.spans[id] != k && n < 5 {
			fmt.Fprintf(&b, "\n  span %s: acknowledged %v, stored %v", id, k, o.spans[id])
			n++
		}
	}
	for id := range m.docs {
		if !o.docs[id] && n < 10 {
			fmt.Fprintf(&b, "\n  document %s acknowledged, missing", id)
			n++
		}
	}
	return b.String()
}

// verifyCrash checks the database at path against model m (what was
// acknowledged) and the pending intent (maybe done, maybe not), and returns
// the model the database turned out to hold.
func verifyCrash(t *testing.T, path, docID, annotator string, m *crashModel, pending string) *crashModel {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	defer s.Close()
	if err := s.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	o := observe(t, s, docID, annotator, docID)
	if sameWork(m, o) {
		return m
	}
	if pending != "" {
		with := m.clone()
		if err := with.apply(pending); err != nil {
			t.Fatal(err)
		}
		if sameWork(with, o) {
			return with
		}
	}
	t.Fatalf("the database does not hold the acknowledged work (pending %q): acknowledged / stored: %s", pending, describeDiff(m, o))
	return nil
}

// TestCrashKill kills a child that edits and imports at random moments, then
// checks the database: intact, every acknowledged edit and import there,
// nothing half done. 8 kills by default, 50 with -tags full or GLOSS_FULL=1.
func TestCrashKill(t *testing.T) {
	trials := 8
	if fullRun {
		trials = 50
	}
	path, docID := crashSetup(t)
	m := newCrashModel()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(childSeedEnv); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (set %s to repeat)", seed, childSeedEnv)
	rng := rand.New(rand.NewPCG(seed, 1))
	var acked, pendingDone, pendingNot, killsBeforeWork, killed int
	for trial := range trials {
		delay := time.Duration(20+rng.IntN(281)) * time.Millisecond
		cmd, stdout, stderr := startChild(t, path, docID, "crash", seed+uint64(trial), 0)
		go func() {
			sleepPrecisely(delay)
			cmd.Process.Kill() // SIGKILL
		}()
		lines, pending, rerr := readChild(stdout)
		werr := cmd.Wait()
		if rerr != nil {
			t.Fatalf("trial %d: %v", trial, rerr)
		}
		var ee *exec.ExitError
		if !errors.As(werr, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("trial %d: the child ended by itself (%v): %s", trial, werr, stderr.String())
		}
		killed++
		for _, op := range lines {
			if err := m.apply(op); err != nil {
				t.Fatal(err)
			}
		}
		acked += len(lines)
		if len(lines) == 0 && pending == "" {
			killsBeforeWork++
		}
		before := m
		m = verifyCrash(t, path, docID, "crash", m, pending)
		if pending != "" {
			if m == before {
				pendingNot++
			} else {
				pendingDone++
			}
		}
		t.Logf("trial %2d: killed after %v, %4d acknowledged, in flight: %q", trial, delay, len(lines), pending)
	}
	t.Logf("CRASH FIGURES: %d trials, %d SIGKILLs survived, %d acknowledged calls verified (%d spans, %d imported documents, history %v at the end); in flight at the kill: %d committed, %d not; %d kills before the first call",
		trials, killed, acked, len(m.spans), len(m.docs), m.history, pendingDone, pendingNot, killsBeforeWork)
}

// TestTwoProcesses runs two children on one database at once, each with its
// own annotator on the same document, each importing too: neither gets an
// error (the busy timeout waits for the other's lock), nothing acknowledged
// is lost, and the file is intact.
func TestTwoProcesses(t *testing.T) {
	ops := 1000
	if fullRun {
		ops = 5000
	}
	path, docID := crashSetup(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	names := []string{"left", "right"}
	runs := make([]childRun, 2)
	var wg sync.WaitGroup
	start := time.Now()
	for i, name := range names {
		cmd, stdout, stderr := startChild(t, path, docID, name, seed+uint64(i), ops)
		wg.Add(1)
		go func() {
			defer wg.Done()
			acked, pending, err := readChild(stdout)
			werr := cmd.Wait()
			runs[i] = childRun{acked: acked, pending: pending, stderr: stderr.String(), err: errors.Join(err, werr)}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	docs := map[string]bool{}
	models := make([]*crashModel, 2)
	total := 0
	for i, r := range runs {
		if r.err != nil || r.pending != "" {
			t.Fatalf("child %s: %v, pending %q: %s", names[i], r.err, r.pending, r.stderr)
		}
		m := newCrashModel()
		for _, op := range r.acked {
			if err := m.apply(op); err != nil {
				t.Fatal(err)
			}
		}
		for id := range m.docs {
			docs[id] = true
		}
		models[i] = m
		total += len(r.acked)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, m := range models {
		m.docs = docs // imports of both
		o := observe(t, s, docID, names[i], docID)
		if !sameWork(m, o) {
			t.Errorf("child %s: acknowledged / stored: %s", names[i], describeDiff(m, o))
		}
	}
	t.Logf("TWO PROCESSES: 2 × %d steps in %v, %d acknowledged and verified (%d + %d spans, %d documents), no error",
		ops, elapsed.Round(time.Millisecond), total, len(models[0].spans), len(models[1].spans), len(docs))
}

// TestDataVersionSeesOtherProcess: a write by another process changes the
// data version this store sees; without writes it stays.
func TestDataVersionSeesOtherProcess(t *testing.T) {
	path, docID := crashSetup(t)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	v1, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	if v, _ := s.DataVersion(ctx); v != v1 {
		t.Fatalf("the data version changed without a write: %d -> %d", v1, v)
	}
	cmd, stdout, stderr := startChild(t, path, docID, "other", 1, 1)
	acked, _, rerr := readChild(stdout)
	if err := errors.Join(rerr, cmd.Wait()); err != nil || len(acked) != 1 {
		t.Fatalf("child: %v, %d acknowledged: %s", err, len(acked), stderr.String())
	}
	v2, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v2 == v1 {
		t.Errorf("another process's edit left the data version at %d", v1)
	}
	t.Logf("data version %d before the other process's edit, %d after", v1, v2)
}
