package workbench

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// watchInterval is how often the window asks whether another process (a
// second Gloss, `gloss import`, `gloss merge`) changed the database.
const watchInterval = 1500 * time.Millisecond

// serverWatchInterval is the same on a team server, where the version is
// the count of the server's notifications, kept in memory: asking costs
// nothing, and colleagues' edits show within a second.
const serverWatchInterval = 250 * time.Millisecond

// watch polls the database's data version and reloads what the window shows
// when another connection committed. It stops when the window closes.
func (w *Workbench) watch() {
	if w.noWatch {
		w.markSeen()
		return
	}
	done := make(chan struct{})
	var once sync.Once
	w.win.SetOnClosed(func() { once.Do(func() { close(done) }) })
	w.markSeen()
	go func() {
		every := watchInterval
		if w.store.OnServer() {
			every = serverWatchInterval
		}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				v, err := w.store.DataVersion(w.ctx)
				if err != nil {
					continue
				}
				fyne.Do(func() { w.noticeVersion(v) })
			}
		}
	}()
}

// noticeVersion reloads when v, a data version read off the UI thread,
// shows another program's write. v may predate a write the window made
// since, so it is checked again here: only a version the window has not
// seen after its own writes is another program's.
func (w *Workbench) noticeVersion(v int64) {
	if v == w.seenVersion || w.learn.writing.Load() > 0 {
		return // (our own background writes are marked seen when they end)
	}
	if now, err := w.store.DataVersion(w.ctx); err == nil && now != w.seenVersion {
		if w.store.OnServer() {
			w.serverChange()
			return
		}
		w.externalChange()
	}
}

// serverChange is a change the team server told: colleagues' edits are
// reloaded and said ("Ann added 3 spans to this document"); the window's
// own, told back by the server, are not; a lost or regained connection is
// said as it is (and reloads: what was missed meanwhile is unknown).
func (w *Workbench) serverChange() {
	var said []string
	reload, lost := false, false
	news := w.store.ServerNews()
	// A status set with spans is said by the spans alone.
	withSpans := map[[2]string]bool{}
	for _, n := range news {
		if n.Table == "spans" {
			withSpans[[2]string{n.ByID + "\x00" + n.AnnotatorID, n.DocumentID}] = true
		}
	}
	for _, n := range news {
		switch {
		case n.Connection:
			// Back: what was missed meanwhile is unknown, so reload;
			// lost: nothing can be read now, so keep what is shown.
			reload = reload || n.Up
			lost = !n.Up
			said = append(said, n.Text)
		case n.ByID != "" && n.ByID == w.me.ID:
			// our own
		case n.Table == "document_status" && withSpans[[2]string{n.ByID + "\x00" + n.AnnotatorID, n.DocumentID}]:
			reload = true
		default:
			reload = true
			text := n.Text
			to := " in "
			if n.Op == "insert" && n.Table != "document_status" {
				to = " to " // added to; changed, deleted, a status set in
			}
			switch {
			case n.DocumentID == "":
			case w.doc != nil && n.DocumentID == w.doc.ID:
				text += to + "this document"
			default:
				text += to + "another document"
			}
			if !slices.Contains(said, text) {
				said = append(said, text)
			}
		}
	}
	if !reload {
		w.markSeen()
		if len(said) > 0 {
			w.say("⚠ " + strings.Join(said, "; "))
		}
		return
	}
	if !lost {
		w.externalChange()
	}
	if len(said) > 3 {
		said = append(said[:3], fmt.Sprintf("and %d more changes", len(said)-3))
	}
	w.say("↻ " + strings.Join(said, "; "))
}

// markSeen records the data version after the window's own writes, so that
// only other processes' writes count as external changes. (A write by another
// process in the instant between ours and this call is noticed with the next
// one.)
func (w *Workbench) markSeen() {
	if v, err := w.store.DataVersion(w.ctx); err == nil {
		w.seenVersion = v
	}
}

// externalChange reloads documents, labels and the open document's spans.
func (w *Workbench) externalChange() {
	w.markSeen()
	if w.me.ID == "" {
		return
	}
	if err := w.loadLabels(); err == nil {
		w.refreshPalette()
	}
	w.reloadDocuments()
	w.refreshLayerChoices()
	if w.doc != nil {
		if !w.list.exists(w.doc.ID) {
			w.doc = nil
			w.openInitial()
		} else {
			sel := w.text.SelectedSpan()
			w.reloadSpans()
			if _, ok := w.spanByID(sel); ok {
				w.text.SelectSpan(sel)
			}
		}
	}
	w.say("↻ The database was changed by another program; the view is up to date")
}
