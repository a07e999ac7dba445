package storage

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Search across the corpus.
//
// Two FTS5 indexes (migration 4: search_words, search_trigrams) pick the
// documents that may hold a match; the matches themselves, with their
// code-point offsets, are found here in Go on the stored text. So an index
// only has to be a superset of the truth, and offsets are right whatever the
// text holds (emoji, CR LF, combining marks). For that to hold, the Go side
// folds characters exactly as SQLite's tokenizers do (foldPairs) and counts
// as word characters at least what SQLite's unicode61 tokenizer does
// (alnumRanges); both tables are made from SQLite itself and checked
// against it by TestFoldTableIsSQLites.

// SearchMode says how SearchQuery.Text is read.
type SearchMode string

const (
	// SearchWords (the default, also "") reads the text as words, each of
	// which a document must contain (AND), anywhere: plain words, "quoted
	// phrases" (the words in that order, with nothing but spaces and
	// punctuation between them) and prefix* (a word that starts so; after
	// a phrase, its last word). A word is a run of letters, digits and
	// marks with a letter or digit in it (letters and digits as SQLite's
	// tokenizer has them: its Unicode tables, private-use characters
	// included), so "U.S." is the phrase "U S" and text without spaces
	// (Chinese, Japanese, Thai) is one word per run up to punctuation:
	// search it with SearchSubstring. There are no operators: OR and NOT
	// are words like any other, and - parts words. Every occurrence of
	// every word or phrase is a match.
	SearchWords SearchMode = "words"
	// SearchSubstring finds the text as it is (spaces and punctuation
	// included) anywhere, inside words too; occurrences do not overlap.
	SearchSubstring SearchMode = "substring"
	// SearchRegex reads the text as a Go regular expression (RE2 syntax:
	// no backreferences; ^ and $ are the ends of the text searched unless
	// (?m); . does not match a newline unless (?s)). Empty matches are
	// skipped.
	SearchRegex SearchMode = "regex"
)

// SearchModes are the modes, for messages and the command line.
var SearchModes = []SearchMode{SearchWords, SearchSubstring, SearchRegex}

// SearchQuery is what Search looks for, and where.
//
// Matching ignores case by default, folding as SQLite's index does: Unicode
// simple case folding (Σ, σ and ς alike) and the diacritics of Latin
// letters taken off (é, ü, ç, ñ are e, u, c, n; ø, ł, ß and Greek accents
// stay; the combining accents SQLite drops, most of U+0300–U+0331, are
// ignored), in words and substrings. A regular expression ignores case only ((?i): Go's simple
// folding) and sees accents as they are. CaseSensitive compares code
// points exactly. Texts are not normalised: as substrings, a precomposed é
// and e + U+0301 differ.
type SearchQuery struct {
	Text          string
	Mode          SearchMode // "" is SearchWords
	CaseSensitive bool
	// WholeWord keeps only substring and regex matches that neither start
	// nor end inside a word: no letter, digit or mark on both sides of
	// either edge (the characters of SearchWords' words; app/tokens'
	// rules are not the store's to know). Words are always whole.
	WholeWord bool

	// Status keeps the documents that AnnotatorID has that status on
	// (todo when they set none); without AnnotatorID, those on which
	// someone has it (for todo: also those nobody has moved on from todo).
	Status      Status
	AnnotatorID string
	// Label searches within the spans of that label (by name, ignoring
	// case, in any label set) of AnnotatorID, or of anyone: each span's
	// text is searched on its own, its edges are the ends of the text for
	// ^, $, words and WholeWord, and a match carries the span's ID.
	Label string
	// DocumentIDs, when given, limits the search to those documents.
	DocumentIDs []string
	// Limit stops Search after that many matches (0: no limit).
	Limit int
}

// SearchMatch is one match. Offsets are code points into the document's
// text, end exclusive.
type SearchMatch struct {
	DocumentID string
	Title      string
	Start, End int
	Text       string // the text matched: the document's code points [Start, End)
	// Before and After are up to SearchContext code points of the text
	// either side of the match (line breaks included).
	Before, After string
	SpanID        string // the span searched in, when SearchQuery.Label is set
}

// SearchContext is how many code points of context a match carries on each
// side.
const SearchContext = 40

// ErrInvalidSearch is a query that cannot be searched for: empty, no word
// in a words query, a regular expression that does not compile, an unknown
// mode or status.
var ErrInvalidSearch = errors.New("invalid search")

// ErrNoFTS5 is Open's refusal when the program was built without SQLite's
// FTS5 module, which the schema's search indexes need.
var ErrNoFTS5 = errors.New("this Gloss was built without SQLite's full-text search (FTS5): build it with -tags sqlite_fts5 (the Makefile does)")

var fts5Checked struct {
	once sync.Once
	err  error
}

// checkFTS5 makes sure the SQLite linked in can make the search indexes
// (FTS5, the trigram tokenizer with remove_diacritics, contentless_delete):
// Open refuses to open a database without it, as every write of a document
// would fail. The answer is the program's, so it is found once.
func checkFTS5() error {
	fts5Checked.once.Do(func() { fts5Checked.err = probeFTS5() })
	return fts5Checked.err
}

func probeFTS5() error {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		`CREATE VIRTUAL TABLE probe_words USING fts5 (text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')`,
		`CREATE VIRTUAL TABLE probe_trigrams USING fts5 (text, content = '', contentless_delete = 1, detail = none, tokenize = 'trigram remove_diacritics 1')`,
	} {
		if _, err := db.Exec(q); err != nil {
			var version string
			db.QueryRow(`SELECT sqlite_version()`).Scan(&version)
			return fts5Error(version, err)
		}
	}
	return nil
}

// fts5Error explains why SQLite version could not make a search index.
func fts5Error(version string, err error) error {
	if strings.Contains(err.Error(), "no such module: fts5") {
		return ErrNoFTS5
	}
	return fmt.Errorf("%w: SQLite %s cannot make the search indexes (FTS5 with contentless_delete and the trigram tokenizer's remove_diacritics need 3.45 or later): %v",
		ErrNoFTS5, version, err)
}

// Search calls fn with every match of q, documents in import order and each
// document's matches by start (then end, then span), until fn returns an
// error (returned as it is) or q.Limit matches were found. It reads the
// documents in batches, each from one snapshot, and holds no transaction
// while fn runs, so fn may write to the store.
//
// Where the index can help it does: a words query asks search_words for
// the documents with all its words (a phrase's too); a substring, or the
// literal runs of 3 characters or more that a regular expression cannot
// match without (none inside ?, * or {0,n}, or an alternative that lacks
// one), ask search_trigrams for the documents with all their trigrams.
// Without any (a substring of 1 or 2 characters, a regex like \d{4}) every
// document is read.
func (s *Store) Search(ctx context.Context, q SearchQuery, fn func(SearchMatch) error) error {
	if s.server != nil {
		return s.server.Search(ctx, q, fn)
	}
	p, err := s.planSearch(ctx, q)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if searchAutoUpdate {
		s.catchUpSearchIndex(ctx)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	n := 0
	stop := errors.New("limit reached")
	err = s.eachCandidate(ctx, p, func(c *searchCandidate) error {
		for _, m := range p.matches(c) {
			if err := fn(m); err != nil {
				return err
			}
			n++
			if q.Limit > 0 && n >= q.Limit {
				return stop
			}
		}
		return nil
	})
	if err == stop {
		return nil
	}
	return err
}

// searchAutoUpdate lets Search index the queued documents first (tests
// turn it off to search with a queue).
var searchAutoUpdate = true

// catchUpSearchIndex indexes the queued documents, if there are any, before
// a search. Failing (another process holds the write lock for longer than
// the busy timeout, the file is read-only or gone) is no matter: Search
// reads the queued documents as candidates.
func (s *Store) catchUpSearchIndex(ctx context.Context) {
	var pending bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM search_pending)`).Scan(&pending); err != nil || !pending {
		return
	}
	s.UpdateSearchIndex(ctx)
}

// UpdateSearchIndex indexes the documents queued for the search indexes
// (those imported or merged since the last update: the triggers of
// document_texts queue them, see migration 4) in one transaction, and
// returns how many there were. Indexing them together costs a twentieth of
// what one statement per document would (about 3 s for 100,000 documents
// of 500 characters). Search calls it first; a caller may call it right
// after an import to pay for it then.
func (s *Store) UpdateSearchIndex(ctx context.Context) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM search_pending`).Scan(&n); err != nil || n == 0 {
			return err
		}
		for _, q := range []string{
			`INSERT INTO search_words (rowid, text)
				SELECT d.seq, t.text FROM search_pending p
				JOIN documents d ON d.seq = p.seq JOIN document_texts t ON t.document_id = d.id
				ORDER BY p.seq`,
			`INSERT INTO search_trigrams (rowid, text)
				SELECT d.seq, t.text FROM search_pending p
				JOIN documents d ON d.seq = p.seq JOIN document_texts t ON t.document_id = d.id
				ORDER BY p.seq`,
			`DELETE FROM search_pending`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("update search index: %w", err)
	}
	return n, nil
}

// SearchCount counts the documents with a match of q and the matches, as
// Search would find them with no limit.
func (s *Store) SearchCount(ctx context.Context, q SearchQuery) (docs, matches int, err error) {
	q.Limit = 0
	last := ""
	err = s.Search(ctx, q, func(m SearchMatch) error {
		if m.DocumentID != last {
			docs++
			last = m.DocumentID
		}
		matches++
		return nil
	})
	return docs, matches, err
}

// Where a search's candidates come from.
const (
	fromAll      = iota // every document
	fromWords           // search_words MATCH
	fromTrigrams        // search_trigrams MATCH
)

// searchPlan is a query made ready: where the candidates come from, which of
// them the filters keep, and the matcher that finds the matches.
type searchPlan struct {
	from  int
	match string // the FTS5 query
	m     matcher

	docIDs      string // JSON array, "" for all documents
	status      Status
	annotatorID string
	labelIDs    string // JSON array, "" for no label filter

	runes []rune // the current document's code points (reused)
}

func (s *Store) planSearch(ctx context.Context, q SearchQuery) (*searchPlan, error) {
	if q.Text == "" {
		return nil, fmt.Errorf("%w: nothing to search for", ErrInvalidSearch)
	}
	if !utf8.ValidString(q.Text) {
		return nil, fmt.Errorf("%w: the query is not valid UTF-8", ErrInvalidSearch)
	}
	p := &searchPlan{status: q.Status, annotatorID: q.AnnotatorID}
	fold := !q.CaseSensitive
	switch q.Mode {
	case "", SearchWords:
		terms := parseWords(q.Text)
		if len(terms) == 0 {
			return nil, fmt.Errorf("%w: %q has no word to search for (a word has a letter or digit; search punctuation as a substring)", ErrInvalidSearch, q.Text)
		}
		p.m = newWordsMatcher(terms, fold)
		p.from, p.match = fromWords, wordsQuery(terms)
	case SearchSubstring:
		pat := []rune(q.Text)
		p.m = &substringMatcher{pat: foldRunes(nil, pat, fold), fold: fold, whole: q.WholeWord}
		if p.match = trigramQuery(pat); p.match != "" {
			p.from = fromTrigrams
		}
	case SearchRegex:
		pattern := q.Text
		if fold {
			pattern = "(?i)" + pattern
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidSearch, err)
		}
		parsed, err := syntax.Parse(pattern, syntax.Perl)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidSearch, err)
		}
		p.m = &regexMatcher{re: re, whole: q.WholeWord}
		if p.match = regexNeeds(parsed); p.match != "" {
			p.from = fromTrigrams
		}
	default:
		return nil, fmt.Errorf("%w: unknown mode %q (%s)", ErrInvalidSearch, q.Mode, modeNames())
	}

	if q.Status != "" && !q.Status.Valid() {
		return nil, fmt.Errorf("%w: unknown status %q (%s)", ErrInvalidSearch, q.Status, statusNames())
	}
	if q.AnnotatorID != "" {
		if err := annotatorExists(ctx, s.db, q.AnnotatorID); err != nil {
			return nil, err
		}
	}
	if len(q.DocumentIDs) > 0 {
		b, _ := json.Marshal(q.DocumentIDs)
		p.docIDs = string(b)
	}
	if q.Label != "" {
		ids, err := labelIDsNamed(ctx, s.db, q.Label)
		if err != nil {
			return nil, err
		}
		b, _ := json.Marshal(ids)
		p.labelIDs = string(b)
	}
	return p, nil
}

func modeNames() string {
	names := make([]string, len(SearchModes))
	for i, m := range SearchModes {
		names[i] = string(m)
	}
	return strings.Join(names, ", ")
}

// labelIDsNamed finds the labels called name, ignoring case as label names
// are compared, in every set.
func labelIDsNamed(ctx context.Context, q queryer, name string) ([]string, error) {
	names, err := loadNames(ctx, q, "labels")
	if err != nil {
		return nil, err
	}
	var ids []string
	for id, n := range names {
		if strings.EqualFold(n, strings.TrimSpace(name)) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: no label %q", ErrNotFound, name)
	}
	slices.Sort(ids)
	return ids, nil
}

// searchCandidate is a document that may hold matches, with the spans to
// search in when the query has a label.
type searchCandidate struct {
	seq       int64
	id, title string
	text      string
	spans     []searchSpan
}

type searchSpan struct {
	id         string
	start, end int
}

// The candidate queries; eachCandidate adds the filters. Each reads
// documents after a seq, in seq order, so that batches follow one another.
const (
	searchWordsSQL = `
		SELECT d.seq, d.id, d.title, t.text
		FROM search_words f
		JOIN documents d ON d.seq = f.rowid
		JOIN document_texts t ON t.document_id = d.id
		WHERE search_words MATCH ? AND f.rowid > ?`
	searchTrigramsSQL = `
		SELECT d.seq, d.id, d.title, t.text
		FROM search_trigrams f
		JOIN documents d ON d.seq = f.rowid
		JOIN document_texts t ON t.document_id = d.id
		WHERE search_trigrams MATCH ? AND f.rowid > ?`
	searchPendingSQL = `
		SELECT d.seq, d.id, d.title, t.text
		FROM search_pending p
		JOIN documents d ON d.seq = p.seq
		JOIN document_texts t ON t.document_id = d.id
		WHERE p.seq > ?`
	searchAllSQL = `
		SELECT d.seq, d.id, d.title, t.text
		FROM documents d
		JOIN document_texts t ON t.document_id = d.id
		WHERE d.seq > ?`
	searchSpansSQL = `
		SELECT s.id, s.start, s."end" FROM spans s
		WHERE s.document_id = ? AND s.label_id IN (SELECT value FROM json_each(?))`
)

// Batches start small, so that the first matches come quickly, and grow;
// a batch also ends once it holds searchBatchBytes of text.
const (
	searchFirstBatch = 32
	searchMaxBatch   = 1024
	searchBatchBytes = 8 << 20
)

// eachCandidate calls fn with every document that the plan's index and
// filters keep, in seq order, reading them in batches (each from one
// snapshot, with its spans) and holding no transaction while fn runs. With
// an index, the documents queued for it (search_pending) are candidates
// too, merged in by seq.
func (s *Store) eachCandidate(ctx context.Context, p *searchPlan, fn func(*searchCandidate) error) error {
	q, order := searchAllSQL, ` ORDER BY d.seq LIMIT ?`
	pq := ""
	var lead []any
	switch p.from {
	case fromWords:
		q, order = searchWordsSQL, ` ORDER BY f.rowid LIMIT ?`
		pq = searchPendingSQL
		lead = append(lead, p.match)
	case fromTrigrams:
		q, order = searchTrigramsSQL, ` ORDER BY f.rowid LIMIT ?`
		pq = searchPendingSQL
		lead = append(lead, p.match)
	}
	filter := ""
	var filters []any
	if p.docIDs != "" {
		filter += ` AND d.id IN (` + s.jsonEach("?") + `)`
		filters = append(filters, p.docIDs)
	}
	switch {
	case p.status != "" && p.annotatorID != "":
		filter += ` AND coalesce((SELECT status FROM document_status WHERE document_id = d.id AND annotator_id = ?), 'todo') = ?`
		filters = append(filters, p.annotatorID, p.status)
	case p.status != "":
		filter += ` AND (EXISTS (SELECT 1 FROM document_status WHERE document_id = d.id AND status = ?)
			OR (? = 'todo' AND NOT EXISTS (SELECT 1 FROM document_status WHERE document_id = d.id AND status <> 'todo')))`
		filters = append(filters, p.status, p.status)
	}
	spanQ := searchSpansSQL
	var spanArgs []any
	if p.labelIDs != "" {
		if p.annotatorID != "" {
			filter += ` AND EXISTS (SELECT 1 FROM spans s WHERE s.document_id = d.id AND s.annotator_id = ? AND s.label_id IN (` + s.jsonEach("?") + `))`
			filters = append(filters, p.annotatorID, p.labelIDs)
			spanQ += ` AND s.annotator_id = ?`
			spanArgs = append(spanArgs, p.annotatorID)
		} else {
			filter += ` AND EXISTS (SELECT 1 FROM spans s WHERE s.document_id = d.id AND s.label_id IN (` + s.jsonEach("?") + `))`
			filters = append(filters, p.labelIDs)
		}
	}
	q += filter + order
	if pq != "" {
		pq += filter + ` ORDER BY p.seq LIMIT ?`
	}
	spanQ += spanOrder

	var after int64
	size := searchFirstBatch
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var batch []searchCandidate
		full := false
		err := s.readSnapshot(ctx, func(c *sql.Conn) error {
			var err error
			var full1, full2 bool
			args := append(append(append(append([]any{}, lead...), after), filters...), size)
			if batch, full1, err = readCandidates(ctx, c, q, args, size); err != nil {
				return err
			}
			if pq != "" {
				args := append(append([]any{after}, filters...), size)
				queued, f, err := readCandidates(ctx, c, pq, args, size)
				if err != nil {
					return err
				}
				full2 = f
				batch = mergeCandidates(batch, full1, queued, full2)
			}
			full = full1 || full2
			if p.labelIDs == "" {
				return nil
			}
			st, err := c.PrepareContext(ctx, spanQ)
			if err != nil {
				return err
			}
			defer st.Close()
			for i := range batch {
				if batch[i].spans, err = searchSpans(ctx, st, batch[i].id, p.labelIDs, spanArgs); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		for i := range batch {
			if err := fn(&batch[i]); err != nil {
				return err
			}
		}
		if !full || len(batch) == 0 {
			return nil
		}
		after = batch[len(batch)-1].seq
		size = min(size*4, searchMaxBatch)
	}
}

// readCandidates reads up to size candidates by query q, stopping early
// once they hold searchBatchBytes of text; full says there may be more.
func readCandidates(ctx context.Context, c *sql.Conn, q string, args []any, size int) (out []searchCandidate, full bool, err error) {
	rows, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var d searchCandidate
		if err := rows.Scan(&d.seq, &d.id, &d.title, &d.text); err != nil {
			return nil, false, err
		}
		out = append(out, d)
		if n += len(d.text); n >= searchBatchBytes {
			return out, true, nil
		}
	}
	return out, len(out) == size, rows.Err()
}

// mergeCandidates merges two runs of candidates in seq order, each full
// when it may go on beyond its last: what lies past the end of a full run
// is left for the next batch, which starts after the last one kept.
func mergeCandidates(a []searchCandidate, aFull bool, b []searchCandidate, bFull bool) []searchCandidate {
	if len(b) == 0 {
		return a
	}
	cut := int64(math.MaxInt64)
	if aFull && len(a) > 0 {
		cut = a[len(a)-1].seq
	}
	if bFull && len(b) > 0 {
		cut = min(cut, b[len(b)-1].seq)
	}
	out := append(a, b...)
	slices.SortFunc(out, func(x, y searchCandidate) int { return cmp.Compare(x.seq, y.seq) })
	out = slices.CompactFunc(out, func(x, y searchCandidate) bool { return x.seq == y.seq })
	for len(out) > 0 && out[len(out)-1].seq > cut {
		out = out[:len(out)-1]
	}
	return out
}

func searchSpans(ctx context.Context, st *sql.Stmt, docID, labelIDs string, more []any) ([]searchSpan, error) {
	rows, err := st.QueryContext(ctx, append([]any{docID, labelIDs}, more...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []searchSpan
	for rows.Next() {
		var sp searchSpan
		if err := rows.Scan(&sp.id, &sp.start, &sp.end); err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, rows.Err()
}

// matches finds the plan's matches in candidate c, in order.
func (p *searchPlan) matches(c *searchCandidate) []SearchMatch {
	p.runes = p.runes[:0]
	for _, r := range c.text {
		p.runes = append(p.runes, r)
	}
	rs := p.runes
	var out []SearchMatch
	add := func(start, end int, spanID string) {
		out = append(out, SearchMatch{
			DocumentID: c.id, Title: c.title, Start: start, End: end, SpanID: spanID,
			Text:   string(rs[start:end]),
			Before: string(rs[max(0, start-SearchContext):start]),
			After:  string(rs[end:min(len(rs), end+SearchContext)]),
		})
	}
	if p.labelIDs == "" {
		p.m.find(rs, c.text, func(start, end int) { add(start, end, "") })
		return out
	}
	for _, sp := range c.spans {
		if sp.start < 0 || sp.end > len(rs) || sp.start >= sp.end {
			continue // not a span of this text (a damaged file): nothing to search
		}
		sub := rs[sp.start:sp.end]
		p.m.find(sub, string(sub), func(start, end int) { add(sp.start+start, sp.start+end, sp.id) })
	}
	// Spans come by start; their matches interleave when spans overlap.
	slices.SortStableFunc(out, func(a, b SearchMatch) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return a.End - b.End
	})
	return out
}

// A matcher finds matches in a text, given both as code points and as the
// string they make: it calls emit with each match's code-point extent, in
// order.
type matcher interface {
	find(rs []rune, s string, emit func(start, end int))
}

// Characters.

// fold16 is sqliteFold below 0x10000, whole (128 KB), so that folding a
// character is one load.
var fold16 = func() *[0x10000]uint16 {
	var t [0x10000]uint16
	for i := range t {
		t[i] = uint16(i)
	}
	for i := 0; i < len(foldPairs); i += 2 {
		if foldPairs[i] < 0x10000 {
			t[foldPairs[i]] = uint16(foldPairs[i+1])
		}
	}
	return &t
}()

// sqliteFold is the character FTS5 indexes for r (its fold: lower case,
// without diacritics), or 0 when it drops r (a combining accent).
func sqliteFold(r rune) rune {
	switch {
	case r < 0x80:
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	case r < 0x10000:
		return rune(fold16[r])
	case r >= 0x10400 && r < 0x10428: // Deseret, the one range beyond 0xFFFF SQLite folds
		return r + 40
	}
	return r
}

// foldRunes appends rs to dst, folded (keeping what SQLite drops, so that
// offsets stay one to one) when fold is set.
func foldRunes(dst, rs []rune, fold bool) []rune {
	if !fold {
		return append(dst, rs...)
	}
	for _, r := range rs {
		if f := sqliteFold(r); f != 0 {
			r = f
		}
		dst = append(dst, r)
	}
	return dst
}

// alnum16 says, for each code point below 0x10000, whether SQLite's
// unicode61 tokenizer puts it in words (alnumRanges, as a bit set).
var alnum16 = func() *[0x10000 / 64]uint64 {
	var t [0x10000 / 64]uint64
	for r := rune('0'); r <= 'z'; r++ {
		if isASCIIAlnumRune(r) {
			t[r/64] |= 1 << (r % 64)
		}
	}
	for i := 0; i < len(alnumRanges); i += 2 {
		for r := alnumRanges[i]; r <= alnumRanges[i+1] && r < 0x10000; r++ {
			t[r/64] |= 1 << (r % 64)
		}
	}
	return &t
}()

func isASCIIAlnumRune(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

// sqliteAlnum reports whether SQLite's unicode61 tokenizer (as
// search_words uses it) puts r in words: letters, digits, private-use and
// unassigned code points, by its own Unicode tables.
func sqliteAlnum(r rune) bool {
	if r < 0x10000 {
		return r >= 0 && alnum16[r/64]&(1<<(r%64)) != 0
	}
	i, found := slices.BinarySearch(alnumRanges[:], r)
	return found || i%2 == 1
}

// isWordRune reports whether r is part of a word: what SQLite's tokenizer
// puts in words, and marks (which it takes for separators, cutting
// Devanagari words apart: Gloss keeps them whole, and asks the index for
// their pieces). A word of Gloss thus always holds whole words of SQLite.
func isWordRune(r rune) bool {
	if r < 0x80 {
		return isASCIIAlnumRune(r)
	}
	return sqliteAlnum(r) || unicode.IsMark(r)
}

// isWordBase reports whether r makes a run of word characters a word (not
// only marks).
func isWordBase(r rune) bool { return sqliteAlnum(r) }

// wholeWord reports whether [start, end) of rs neither starts nor ends
// inside a word.
func wholeWord(rs []rune, start, end int) bool {
	if start > 0 && isWordRune(rs[start-1]) && isWordRune(rs[start]) {
		return false
	}
	return end >= len(rs) || !isWordRune(rs[end-1]) || !isWordRune(rs[end])
}

// Words.

// wordTerm is one term of a words query: a word, a phrase, or either as a
// prefix (of the last word).
type wordTerm struct {
	words  []string // as typed
	prefix bool
}

// parseWords reads a words query: terms apart by white space, "quoted
// phrases" (an unclosed quote runs to the end), a * after a term makes it a
// prefix. Terms without a word are dropped.
func parseWords(text string) []wordTerm {
	rs := []rune(text)
	var terms []wordTerm
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		var body []rune
		prefix := false
		if rs[i] == '"' {
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			body = rs[i+1 : j]
			i = j + 1
			for i < len(rs) && rs[i] == '*' {
				prefix = true
				i++
			}
		} else {
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '"' {
				j++
			}
			body = rs[i:j]
			i = j
			for len(body) > 0 && body[len(body)-1] == '*' {
				prefix = true
				body = body[:len(body)-1]
			}
		}
		if words := wordsOf(body); len(words) > 0 {
			terms = append(terms, wordTerm{words: words, prefix: prefix})
		}
	}
	return terms
}

// wordsOf splits rs into its words.
func wordsOf(rs []rune) []string {
	var out []string
	for i := 0; i < len(rs); {
		if !isWordRune(rs[i]) {
			i++
			continue
		}
		j, base := i, false
		for j < len(rs) && isWordRune(rs[j]) {
			base = base || isWordBase(rs[j])
			j++
		}
		if base {
			out = append(out, string(rs[i:j]))
		}
		i = j
	}
	return out
}

// wordsQuery is the FTS5 query for terms: every word of SQLite's (see
// sqliteWords) in them, quoted, and the last of a prefix term marked *. It
// is a superset of the documents with the terms: search_words keeps no
// positions (detail = none), so a phrase is asked for as all its words,
// and the matcher checks the rest. Words hold no quotes: nothing needs
// escaping.
func wordsQuery(terms []wordTerm) string {
	var parts []string
	seen := map[string]bool{}
	for _, t := range terms {
		var toks []string
		for _, w := range t.words {
			toks = append(toks, sqliteWords(w)...)
		}
		for i, tok := range toks {
			q := `"` + tok + `"`
			if t.prefix && i == len(toks)-1 {
				q += " *"
			}
			if !seen[q] {
				seen[q] = true
				parts = append(parts, q)
			}
		}
	}
	return strings.Join(parts, " AND ")
}

// sqliteWords splits s as SQLite's unicode61 tokenizer does: a word starts
// at a letter or digit of its own (sqliteAlnum) and runs on over those and
// the accents it drops (which are its "diacritic" characters exactly), so
// that each is one token to FTS5.
func sqliteWords(s string) []string {
	rs := []rune(s)
	var out []string
	for i := 0; i < len(rs); {
		if !sqliteAlnum(rs[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(rs) && (sqliteAlnum(rs[j]) || sqliteFold(rs[j]) == 0) {
			j++
		}
		out = append(out, string(rs[i:j]))
		i = j
	}
	return out
}

// wordsMatcher finds a words query's terms in a text.
type wordsMatcher struct {
	terms [][][]rune // each term's words, keyed
	pref  []bool
	fold  bool

	toks  []wordTok // the text's words (reused)
	keys  []rune
	found [][2]int
}

type wordTok struct {
	start, end int // code points
	k0, k1     int // its key: keys[k0:k1]
}

func newWordsMatcher(terms []wordTerm, fold bool) *wordsMatcher {
	m := &wordsMatcher{fold: fold}
	for _, t := range terms {
		var keyed [][]rune
		for _, w := range t.words {
			keyed = append(keyed, m.key(nil, []rune(w)))
		}
		m.terms = append(m.terms, keyed)
		m.pref = append(m.pref, t.prefix)
	}
	return m
}

// key appends word w as words are compared: as it is, or folded as SQLite
// folds what it indexes: its word characters folded, the accents it drops
// left out, and the marks it takes for separators kept as they are (so
// that two words with the same key are the same words to SQLite).
func (m *wordsMatcher) key(dst, w []rune) []rune {
	if !m.fold {
		return append(dst, w...)
	}
	for _, r := range w {
		switch f := sqliteFold(r); {
		case f == 0:
		case sqliteAlnum(r):
			dst = append(dst, f)
		default:
			dst = append(dst, r)
		}
	}
	return dst
}

func (m *wordsMatcher) find(rs []rune, _ string, emit func(start, end int)) {
	m.toks, m.keys, m.found = m.toks[:0], m.keys[:0], m.found[:0]
	for i := 0; i < len(rs); {
		if !isWordRune(rs[i]) {
			i++
			continue
		}
		j, base := i, false
		for j < len(rs) && isWordRune(rs[j]) {
			base = base || isWordBase(rs[j])
			j++
		}
		if base {
			k0 := len(m.keys)
			m.keys = m.key(m.keys, rs[i:j])
			m.toks = append(m.toks, wordTok{i, j, k0, len(m.keys)})
		}
		i = j
	}
	for ti, term := range m.terms {
		n := 0
		for i := 0; i+len(term) <= len(m.toks); {
			if !m.termAt(term, m.pref[ti], i) {
				i++
				continue
			}
			m.found = append(m.found, [2]int{m.toks[i].start, m.toks[i+len(term)-1].end})
			n++
			i += len(term)
		}
		if n == 0 {
			return // every term must be there
		}
	}
	slices.SortFunc(m.found, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	for i, f := range m.found {
		if i == 0 || f != m.found[i-1] {
			emit(f[0], f[1])
		}
	}
}

func (m *wordsMatcher) termAt(term [][]rune, prefix bool, i int) bool {
	for k, w := range term {
		t := m.toks[i+k]
		key := m.keys[t.k0:t.k1]
		if prefix && k == len(term)-1 {
			if len(key) < len(w) || !slices.Equal(key[:len(w)], w) {
				return false
			}
		} else if !slices.Equal(key, w) {
			return false
		}
	}
	return true
}

// Substrings.

type substringMatcher struct {
	pat   []rune // folded when fold
	fold  bool
	whole bool
	buf   []rune
}

func (m *substringMatcher) find(rs []rune, _ string, emit func(start, end int)) {
	t := rs
	if m.fold {
		m.buf = foldRunes(m.buf[:0], rs, true)
		t = m.buf
	}
	n, first := len(m.pat), m.pat[0]
	for i := 0; i+n <= len(t); {
		if t[i] != first || !slices.Equal(t[i:i+n], m.pat) || m.whole && !wholeWord(rs, i, i+n) {
			i++
			continue
		}
		emit(i, i+n)
		i += n
	}
}

// maxTrigrams caps the trigrams asked for one literal: a few are as
// selective as all of them, and each costs a doclist to read.
const maxTrigrams = 12

// trigramQuery is the FTS5 query for the documents of search_trigrams that
// contain lit: all its trigrams (of what SQLite keeps of it: not the
// combining accents it drops), or "" when it has fewer than 3 characters.
// search_trigrams keeps no positions (detail = none), so this is a superset
// of the documents that hold lit, which the matchers then check.
func trigramQuery(lit []rune) string {
	var kept []rune
	for _, r := range lit {
		if r == 0 {
			return "" // not for an FTS5 query string: read every document
		}
		if sqliteFold(r) != 0 {
			kept = append(kept, r)
		}
	}
	n := len(kept) - 2
	if n < 1 {
		return ""
	}
	step := max(1, (n+maxTrigrams-1)/maxTrigrams)
	var parts []string
	seen := map[string]bool{}
	for i := 0; i < n; i += step {
		if i+step >= n {
			i = n - 1 // always the last
		}
		w := kept[i : i+3]
		k := string(foldRunes(nil, w, true))
		if seen[k] {
			continue
		}
		seen[k] = true
		parts = append(parts, `"`+strings.ReplaceAll(string(w), `"`, `""`)+`"`)
	}
	return strings.Join(parts, " AND ")
}

// Regular expressions.

type regexMatcher struct {
	re    *regexp.Regexp
	whole bool
}

func (m *regexMatcher) find(rs []rune, s string, emit func(start, end int)) {
	locs := m.re.FindAllStringIndex(s, -1)
	ascii := len(s) == len(rs)
	by, cp := 0, 0 // a cursor: code point cp starts at byte by
	at := func(b int) int {
		if ascii {
			return b
		}
		for by < b {
			_, size := utf8.DecodeRuneInString(s[by:])
			by += size
			cp++
		}
		return cp
	}
	for _, l := range locs {
		if l[0] == l[1] {
			continue
		}
		start := at(l[0])
		end := at(l[1])
		if m.whole && !wholeWord(rs, start, end) {
			continue
		}
		emit(start, end)
	}
}

// regexNeeds is an FTS5 query for search_trigrams that every text re
// matches satisfies, made of the literal runs re cannot match without, or ""
// when there are none of 3 characters or more.
func regexNeeds(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		return trigramQuery(re.Rune) // folded or not: the index is folded
	case syntax.OpCapture, syntax.OpPlus:
		return regexNeeds(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return regexNeeds(re.Sub[0])
		}
	case syntax.OpConcat:
		var parts []string
		var run []rune
		flush := func() {
			if q := trigramQuery(run); q != "" {
				parts = append(parts, q)
			}
			run = run[:0]
		}
		for _, sub := range re.Sub {
			if sub.Op == syntax.OpLiteral {
				run = append(run, sub.Rune...)
				continue
			}
			flush()
			if q := regexNeeds(sub); q != "" {
				parts = append(parts, q)
			}
		}
		flush()
		return joinQueries(parts, " AND ")
	case syntax.OpAlternate:
		var parts []string
		for _, sub := range re.Sub {
			q := regexNeeds(sub)
			if q == "" {
				return "" // a branch that needs nothing
			}
			parts = append(parts, q)
		}
		return joinQueries(parts, " OR ")
	}
	return ""
}

func joinQueries(parts []string, op string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return "(" + strings.Join(parts, ")"+op+"(") + ")"
}

// TextMatcher finds a query's matches in texts held elsewhere (the team
// server's), with Search's rules: words, substrings and regular
// expressions, case and whole words, exact code-point offsets. It knows no
// index, no status and no label: the caller picks the texts.
type TextMatcher struct{ p *searchPlan }

// NewTextMatcher checks q (its text and mode; its other fields are the
// caller's) and returns its matcher.
func NewTextMatcher(q SearchQuery) (*TextMatcher, error) {
	q.Status, q.AnnotatorID, q.Label, q.DocumentIDs = "", "", "", nil
	p, err := (&Store{}).planSearch(context.Background(), q)
	if err != nil {
		return nil, err
	}
	return &TextMatcher{p: p}, nil
}

// Find returns the matches in document docID's text, with their context.
func (m *TextMatcher) Find(docID, title, text string) []SearchMatch {
	m.p.labelIDs = ""
	return m.p.matches(&searchCandidate{id: docID, title: title, text: text})
}

// FindInSpans returns the matches within each of spans (their texts
// searched on their own, as Search does with SearchQuery.Label), each
// carrying its span's ID.
func (m *TextMatcher) FindInSpans(docID, title, text string, spans []Span) []SearchMatch {
	c := &searchCandidate{id: docID, title: title, text: text}
	for _, sp := range spans {
		c.spans = append(c.spans, searchSpan{id: sp.ID, start: sp.Start, end: sp.End})
	}
	m.p.labelIDs = "within spans" // any non-empty value: matches searches the spans
	return m.p.matches(c)
}
