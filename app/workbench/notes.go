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
	entry *noteEntry
	title *widget.Label

	mu     sync.Mutex
	timer  *time.Timer
	spanID string // the span whose note the entry holds
	saved  string // the note as stored
}

func (w *Workbench) buildNotePanel() fyne.CanvasObject {
	p := &notePanel{entry: newNoteEntry(func() {
		w.saveNote()
		w.win.Canvas().Focus(w.text)
	}), title: heading("Note")}
	p.title.Truncation = fyne.TextTruncateEllipsis
	p.entry.SetPlaceHolder("A note on this span (saved as you type)")
	p.entry.Wrapping = fyne.TextWrapWord
	p.entry.SetMinRowsVisible(3)
	p.entry.OnChanged = func(string) { p.typed(w) }
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
	w.note.title.SetText("Note on " + s.Label + " “" + short(s.Text) + "”")
	w.note.entry.OnChanged, w.note.entry.Text = nil, s.Note
	w.note.entry.Refresh()
	w.note.entry.OnChanged = func(string) { w.note.typed(w) }
	w.note.box.Show()
}

// typed (re)starts the pause after which the note is saved.
func (p *notePanel) typed(w *Workbench) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.timer != nil {
		p.timer.Stop()
	}
	p.timer = time.AfterFunc(noteDelay, func() { fyne.Do(w.saveNote) })
}

// close empties and hides the panel without saving: its span is gone (an
// undo removed it, or a reload no longer has it).
func (p *notePanel) close() {
	p.mu.Lock()
	if p.timer != nil {
		p.timer.Stop()
	}
	p.mu.Unlock()
	p.spanID = ""
	p.box.Hide()
}

// focusNote puts the keyboard in the selected span's note (Enter or Space
// on a span); Escape there saves it and goes back to the article.
func (w *Workbench) focusNote() {
	if w.note == nil || w.note.spanID == "" {
		if w.readOnly() {
			w.say("Notes belong to the layer's annotator: this layer is read-only.")
		}
		return
	}
	w.win.Canvas().Focus(w.note.entry)
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

// noteEntry is the note's multi-line entry; Escape leaves it.
type noteEntry struct {
	widget.Entry
	onEscape func()
}

func newNoteEntry(onEscape func()) *noteEntry {
	e := &noteEntry{onEscape: onEscape}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

func (e *noteEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(ev)
}
