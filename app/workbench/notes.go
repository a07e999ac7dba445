package workbench

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gloss/storage"
)

// noteDelay is how long typing must pause before a note is saved: one
// history entry per pause, not one per keystroke.
const noteDelay = 700 * time.Millisecond

// notePanel edits the note of the selected span. It is saved when typing
// pauses, when Enter is pressed with Ctrl, and when another span is selected.
type notePanel struct {
	box   *fyne.Container
	entry *widget.Entry
	title *widget.Label

	mu     sync.Mutex
	timer  *time.Timer
	spanID string // the span whose note the entry holds
	saved  string // the note as stored
}

func (w *Workbench) buildNotePanel() fyne.CanvasObject {
	p := &notePanel{entry: widget.NewMultiLineEntry(), title: heading("Note")}
	p.title.Truncation = fyne.TextTruncateEllipsis
	p.entry.SetPlaceHolder("A note on this span (saved as you type)")
	p.entry.Wrapping = fyne.TextWrapWord
	p.entry.SetMinRowsVisible(3)
	p.entry.OnChanged = func(string) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.timer != nil {
			p.timer.Stop()
		}
		p.timer = time.AfterFunc(noteDelay, func() { fyne.Do(w.saveNote) })
	}
	p.box = container.NewVBox(widget.NewSeparator(), p.title, p.entry)
	p.box.Hide()
	w.note = p
	return p.box
}

// showNote puts the selected span's note in the panel, saving the previous
// one first.
func (w *Workbench) showNote() {
	if w.note == nil {
		return
	}
	w.saveNote()
	id := w.text.SelectedSpan()
	s, ok := w.spanByID(id)
	if !ok || w.readOnly() {
		w.note.spanID = ""
		w.note.box.Hide()
		return
	}
	w.note.spanID = s.ID
	w.note.saved = s.Note
	w.note.title.SetText("Note on " + s.Label + " “" + clip(s.Text) + "”")
	w.note.entry.OnChanged, w.note.entry.Text = nil, s.Note
	w.note.entry.Refresh()
	w.note.entry.OnChanged = func(string) {
		w.note.mu.Lock()
		defer w.note.mu.Unlock()
		if w.note.timer != nil {
			w.note.timer.Stop()
		}
		w.note.timer = time.AfterFunc(noteDelay, func() { fyne.Do(w.saveNote) })
	}
	w.note.box.Show()
}

// saveNote stores the panel's note if it changed.
func (w *Workbench) saveNote() {
	p := w.note
	if p == nil || p.spanID == "" || w.doc == nil || p.entry.Text == p.saved {
		return
	}
	p.mu.Lock()
	if p.timer != nil {
		p.timer.Stop()
	}
	p.mu.Unlock()
	s, err := w.store.Apply(w.ctx, storage.Edit{Kind: storage.EditSetNote, DocumentID: w.doc.ID,
		AnnotatorID: w.editor().ID, SpanID: p.spanID, Note: p.entry.Text})
	if err != nil {
		w.fail("The note was not saved", err)
		return
	}
	p.saved = s.Note
	w.putSpan(s)
	w.showSpans()
	w.say("✓ Note saved on “" + clip(s.Text) + "”")
}
