package workbench

import (
	"context"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"

	"gloss/storage"
	"gloss/widgets"
)

// docPage is how many rows of the document list are read at a time.
const docPage = 128

// maxCachedRows bounds the rows kept: past it the cache starts again.
const maxCachedRows = 16 * docPage

// docView is the document list as the window holds it: the positions (seq)
// of every document and of those the filter keeps, eight bytes each, and
// the rows on screen, read from the store a page at a time. Memory stays
// flat in the number of documents: a million cost 16 MB, not their titles.
type docView struct {
	w     *Workbench
	all   []int64 // every document's seq, ascending
	seqs  []int64 // the listed ones (the filter's), ascending
	rows  map[int64]storage.DocumentRow
	idSeq map[string]int64 // the seqs of the documents met
	gen   int              // bumped by each filter run: a late result of an older one is dropped
	// cancel stops the filter query running, if any.
	cancel context.CancelFunc
}

func (v *docView) Len() int { return len(v.seqs) }

func (v *docView) At(i int) widgets.DocItem {
	r, ok := v.rowAt(i)
	if !ok {
		return widgets.DocItem{ID: fmt.Sprintf("?%d", i), Title: "…"}
	}
	return docItem(r.DocumentSummary)
}

func (v *docView) Find(id string) int {
	seq, ok := v.seqOf(id)
	if !ok {
		return -1
	}
	if i, found := slices.BinarySearch(v.seqs, seq); found {
		return i
	}
	return -1
}

// rowAt is listed row i, read with its page when not cached.
func (v *docView) rowAt(i int) (storage.DocumentRow, bool) {
	if i < 0 || i >= len(v.seqs) {
		return storage.DocumentRow{}, false
	}
	seq := v.seqs[i]
	if r, ok := v.rows[seq]; ok {
		return r, true
	}
	p0 := i / docPage * docPage
	v.load(v.seqs[p0:min(p0+docPage, len(v.seqs))])
	r, ok := v.rows[seq]
	return r, ok
}

// load reads the rows of seqs into the cache.
func (v *docView) load(seqs []int64) {
	rows, err := v.w.store.DocumentsBySeq(v.w.ctx, v.w.listAnnotator(), seqs)
	if err != nil {
		v.w.report("Could not read the document list", err)
		return
	}
	if len(v.rows)+len(rows) > maxCachedRows {
		clear(v.rows)
		clear(v.idSeq)
	}
	for _, r := range rows {
		v.rows[r.Seq] = r
		v.idSeq[r.ID] = r.Seq
	}
}

// seqOf is the seq of document id, from the cache or the store.
func (v *docView) seqOf(id string) (int64, bool) {
	if seq, ok := v.idSeq[id]; ok {
		return seq, true
	}
	seq, err := v.w.store.DocumentSeq(v.w.ctx, id)
	if err != nil {
		return 0, false
	}
	v.idSeq[id] = seq
	return seq, true
}

// summary is document id's row (whether listed or not).
func (v *docView) summary(id string) (storage.DocumentRow, bool) {
	seq, ok := v.seqOf(id)
	if !ok {
		return storage.DocumentRow{}, false
	}
	if r, ok := v.rows[seq]; ok {
		return r, true
	}
	v.load([]int64{seq})
	r, ok := v.rows[seq]
	return r, ok
}

// update changes the cached row of document id (if cached) and redraws it.
func (v *docView) update(id string, f func(*storage.DocumentRow)) {
	seq, ok := v.seqOf(id)
	if !ok {
		return
	}
	r, ok := v.rows[seq]
	if !ok {
		v.load([]int64{seq})
		if r, ok = v.rows[seq]; !ok {
			return
		}
	}
	f(&r)
	v.rows[seq] = r
	v.w.docList.Update(docItem(r.DocumentSummary))
}

// idAt is the ID of listed row i, or "".
func (v *docView) idAt(i int) string {
	r, ok := v.rowAt(i)
	if !ok {
		return ""
	}
	return r.ID
}

// exists says whether document id is in the database.
func (v *docView) exists(id string) bool {
	seq, ok := v.seqOf(id)
	if !ok {
		return false
	}
	_, found := slices.BinarySearch(v.all, seq)
	return found
}

// position is document id's place among all documents (0-based), or -1.
func (v *docView) position(id string) int {
	seq, ok := v.seqOf(id)
	if !ok {
		return -1
	}
	if i, found := slices.BinarySearch(v.all, seq); found {
		return i
	}
	return -1
}

// listRun runs a document list query off the UI goroutine and hands its
// result to done on it; tests run both at once (synchronous).
func defaultListRun(work func() ([]int64, error), done func([]int64, error)) {
	go func() {
		seqs, err := work()
		fyne.Do(func() { done(seqs, err) })
	}()
}
