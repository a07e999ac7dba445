package storage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// The search benchmarks' corpus: 100,000 documents of about 500 code points
// (50 MB of text) of made-up words drawn with Zipf's law from 20,000, with
// common words among them, and, in some documents, the things searched
// for: "budget" (30 %), "the European Union" (10 %), figures like £4.2bn
// (30 %), "minister of"/"ministry of" (5 %), 東京都 (2 %), a rare word
// (0.05 %), accents, emoji and CR LF line breaks.
const searchBenchDocs = 100_000

var searchCommon = strings.Fields("the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their has would when if so no will more")

func searchBenchText(r *rand.Rand, z *rand.Zipf, vocab []string, i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Document %d. ", i)
	inject := []string{}
	if r.IntN(10) < 3 {
		inject = append(inject, "budget")
	}
	if r.IntN(10) == 0 {
		inject = append(inject, "the European Union")
	}
	if r.IntN(10) < 3 {
		inject = append(inject, fmt.Sprintf("£%d.%dbn", 1+r.IntN(99), r.IntN(10)))
	}
	if r.IntN(20) == 0 {
		inject = append(inject, []string{"the minister of finance", "the ministry of health"}[r.IntN(2)])
	}
	if r.IntN(50) == 0 {
		inject = append(inject, "東京都の人口")
	}
	if r.IntN(2000) == 0 {
		inject = append(inject, "zygomorphic")
	}
	if r.IntN(10) == 0 {
		inject = append(inject, "👍🏽")
	}
	if r.IntN(10) == 0 {
		inject = append(inject, []string{"naïve", "Café", "Zoë", "Straße"}[r.IntN(4)])
	}
	for b.Len() < 480 {
		n := 8 + r.IntN(12)
		for k := range n {
			var w string
			switch {
			case len(inject) > 0 && r.IntN(12) == 0:
				w, inject = inject[0], inject[1:]
			case r.IntN(5) < 2:
				w = searchCommon[r.IntN(len(searchCommon))]
			default:
				w = vocab[z.Uint64()]
			}
			if k == 0 {
				r, size := utf8.DecodeRuneInString(w)
				w = string(unicode.ToUpper(r)) + w[size:]
			}
			b.WriteString(w)
			if k < n-1 {
				if r.IntN(15) == 0 {
					b.WriteString(", ")
				} else {
					b.WriteString(" ")
				}
			}
		}
		if r.IntN(6) == 0 {
			b.WriteString(".\r\n")
		} else {
			b.WriteString(". ")
		}
	}
	for _, w := range inject {
		b.WriteString(w + ". ")
	}
	return strings.TrimSpace(b.String())
}

// searchBenchRecords makes the corpus, the same every time.
func searchBenchRecords(n int) []NewDocument {
	r := rand.New(rand.NewPCG(7, 7))
	syll := strings.Fields("ka lo mi ne ru sa ti ve zo pra str en ou ai qu ch th ber gon lin dar mus fel")
	vocab := make([]string, 20_000)
	for i := range vocab {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		vocab[i] = b.String()
	}
	z := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	docs := make([]NewDocument, n)
	for i := range docs {
		docs[i] = NewDocument{Title: fmt.Sprintf("Document %d", i), Text: searchBenchText(r, z, vocab, i), Format: "txt"}
	}
	return docs
}

// importAll imports docs into s in one import.
func importAll(b *testing.B, s *Store, docs []NewDocument) time.Duration {
	b.Helper()
	start := time.Now()
	imp, err := s.BeginImport(context.Background(), ImportOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range docs {
		if err := imp.Add(ImportRecord{Doc: d}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := imp.Commit(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

var searchBench struct {
	once sync.Once
	path string
}

// searchBenchDB is the corpus in a database, made once and kept at
// $GLOSS_BENCH_SEARCH_DB (default /tmp/gloss-bench/search.db; delete it to
// make it again). It logs the size of the search indexes.
func searchBenchDB(b *testing.B) string {
	searchBench.once.Do(func() {
		path := os.Getenv("GLOSS_BENCH_SEARCH_DB")
		if path == "" {
			path = filepath.Join(os.TempDir(), "gloss-bench", "search.db")
		}
		searchBench.path = path
		if _, err := os.Stat(path); err == nil {
			s, err := Open(path)
			if err != nil {
				b.Fatal(err)
			}
			n, err := s.DocumentCount(context.Background())
			s.Close()
			if err == nil && n == searchBenchDocs {
				return
			}
			b.Logf("%s has %d documents: made again", path, n)
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
		}
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		importAll(b, s, searchBenchRecords(searchBenchDocs))
		if _, err := s.UpdateSearchIndex(context.Background()); err != nil {
			b.Fatal(err)
		}
		if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
	})
	return searchBench.path
}

// BenchmarkSearchIndexSize measures what the search indexes of the corpus
// take on disk: the database compacted (VACUUM INTO), then the same
// without them. It reports megabytes (1e6 bytes) and the share of the text.
func BenchmarkSearchIndexSize(b *testing.B) {
	s, err := Open(searchBenchDB(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.UpdateSearchIndex(context.Background()); err != nil {
		b.Fatal(err)
	}
	var text int64
	if err := s.db.QueryRow(`SELECT sum(length(CAST(text AS BLOB))) FROM document_texts`).Scan(&text); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		indexSize(b, s, text)
	}
}

func indexSize(b *testing.B, s *Store, text int64) {
	dir := b.TempDir()
	with, without := filepath.Join(dir, "with.db"), filepath.Join(dir, "without.db")
	if _, err := s.db.Exec(`VACUUM INTO ?`, with); err != nil {
		b.Fatal(err)
	}
	if _, err := s.db.Exec(`VACUUM INTO ?`, without); err != nil {
		b.Fatal(err)
	}
	s2, err := Open(without)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{`DROP TABLE search_words`, `DROP TABLE search_trigrams`, `VACUUM`} {
		if _, err := s2.db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	s2.Close()
	sizes := map[string]int64{}
	for _, t := range []string{"search_words", "search_trigrams"} {
		var n int64
		// t is one of two constants.
		if err := s.db.QueryRow(`SELECT sum(length(block)) FROM ` + t + `_data`).Scan(&n); err != nil {
			b.Fatal(err)
		}
		sizes[t] = n
	}
	fw, _ := os.Stat(with)
	fo, _ := os.Stat(without)
	b.ReportMetric(float64(text)/1e6, "MB-text")
	b.ReportMetric(float64(fw.Size())/1e6, "MB-db")
	b.ReportMetric(float64(fo.Size())/1e6, "MB-db-without-index")
	b.ReportMetric(float64(fw.Size()-fo.Size())/1e6, "MB-index")
	b.ReportMetric(100*float64(fw.Size()-fo.Size())/float64(text), "%-of-text")
	b.ReportMetric(float64(sizes["search_words"])/1e6, "MB-words-blocks")
	b.ReportMetric(float64(sizes["search_trigrams"])/1e6, "MB-trigram-blocks")
}

// BenchmarkSearch100k searches the corpus (see searchBenchDB): words to
// the first 50 matches and all of them, a phrase, a prefix, substrings
// through the trigram index and without it (two characters: every
// document), regular expressions with a literal (the trigram index) and
// without (every document), and labelling 10,000 matches in one step.
func BenchmarkSearch100k(b *testing.B) {
	path := searchBenchDB(b)
	s, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for _, c := range []struct {
		name  string
		q     SearchQuery
		count bool
	}{
		{"words-first50", SearchQuery{Text: "budget", Limit: 50}, false},
		{"words-all", SearchQuery{Text: "budget"}, true},
		{"two-words-all", SearchQuery{Text: "european union"}, true},
		{"phrase-all", SearchQuery{Text: `"the european union"`}, true},
		{"rare-word", SearchQuery{Text: "zygomorphic"}, true},
		{"prefix-first50", SearchQuery{Text: "minist*", Limit: 50}, false},
		{"prefix-all", SearchQuery{Text: "minist*"}, true},
		{"substring-first50", SearchQuery{Text: "opean Un", Mode: SearchSubstring, Limit: 50}, false},
		{"substring-all", SearchQuery{Text: "opean Un", Mode: SearchSubstring}, true},
		{"substring-cjk-all", SearchQuery{Text: "東京都", Mode: SearchSubstring}, true},
		{"substring-2chars-scan-all", SearchQuery{Text: "bn", Mode: SearchSubstring}, true},
		{"regex-literal-all", SearchQuery{Text: `minist(er|ry) of \w+`, Mode: SearchRegex}, true},
		{"regex-scan-all", SearchQuery{Text: `£\d+\.\dbn`, Mode: SearchRegex}, true},
		{"regex-scan-first50", SearchQuery{Text: `£\d+\.\dbn`, Mode: SearchRegex, Limit: 50}, false},
	} {
		b.Run(c.name, func(b *testing.B) {
			var docs, n int
			for b.Loop() {
				if c.count {
					if docs, n, err = s.SearchCount(ctx, c.q); err != nil {
						b.Fatal(err)
					}
					continue
				}
				docs, n = 0, 0
				last := ""
				if err := s.Search(ctx, c.q, func(m SearchMatch) error {
					if m.DocumentID != last {
						docs++
						last = m.DocumentID
					}
					n++
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(docs), "docs")
			b.ReportMetric(float64(n), "matches")
		})
	}

	// Labelling: a new analyst each time, so that every match is new.
	set, err := s.DefaultLabelSet(ctx)
	if err != nil {
		b.Fatal(err)
	}
	ls, err := s.Labels(ctx, set.ID)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("label-10k", func(b *testing.B) {
		var sum BatchesSummary
		i := 0
		for b.Loop() {
			b.StopTimer()
			a, err := s.EnsureAnnotator(ctx, fmt.Sprintf("bench %d %d", time.Now().UnixNano(), i))
			if err != nil {
				b.Fatal(err)
			}
			i++
			b.StartTimer()
			var docs []DocumentEdits
			if err := s.Search(ctx, SearchQuery{Text: "budget", Limit: 10_000}, func(m SearchMatch) error {
				if len(docs) == 0 || docs[len(docs)-1].DocumentID != m.DocumentID {
					docs = append(docs, DocumentEdits{DocumentID: m.DocumentID})
				}
				d := &docs[len(docs)-1]
				d.Edits = append(d.Edits, Edit{Kind: EditCreateSpan, LabelID: ls[0].ID, Start: m.Start, End: m.End})
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			if sum, err = s.ApplyBatches(ctx, a.ID, docs, BatchesOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		if sum.Spans != 10_000 {
			b.Fatalf("labelled %+v", sum)
		}
		b.ReportMetric(float64(sum.Documents), "docs")
		b.ReportMetric(float64(sum.Spans), "spans")
	})
}

// BenchmarkImportSearchIndex imports the corpus (100,000 documents, 10,000
// with -short) into an empty database with the search triggers (which
// queue the documents) and then indexes the queue (UpdateSearchIndex, what
// the first search after an import does), and without the triggers
// (dropped first), to show what the search indexes cost.
func BenchmarkImportSearchIndex(b *testing.B) {
	n := searchBenchDocs
	if testing.Short() {
		n = 10_000
	}
	docs := searchBenchRecords(n)
	for _, with := range []bool{true, false} {
		name := "with-triggers"
		if !with {
			name = "without-triggers"
		}
		b.Run(name, func(b *testing.B) {
			var imp, index time.Duration
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				s, err := Open(filepath.Join(b.TempDir(), fmt.Sprintf("imp%d.db", i)))
				if err != nil {
					b.Fatal(err)
				}
				if !with {
					for _, q := range []string{
						`DROP TRIGGER document_texts_search_insert`, `DROP TRIGGER document_texts_search_update`,
						`DROP TRIGGER document_texts_search_delete`, `DROP TRIGGER documents_search_delete`,
					} {
						if _, err := s.db.Exec(q); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.StartTimer()
				imp += importAll(b, s, docs)
				if with {
					start := time.Now()
					if k, err := s.UpdateSearchIndex(context.Background()); err != nil || k != n {
						b.Fatalf("indexed %d, %v", k, err)
					}
					index += time.Since(start)
				}
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n)*float64(b.N)/imp.Seconds(), "import-docs/s")
			b.ReportMetric(imp.Seconds()/float64(b.N), "s-import")
			b.ReportMetric(index.Seconds()/float64(b.N), "s-index")
		})
	}
}
