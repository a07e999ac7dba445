package workbench

import (
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2/dialog"

	"gloss/app/library"
)

// showMergeDialog brings a colleague's database (or Gloss JSONL export) in:
// documents matched by text, spans and annotators by UUID.
func (w *Workbench) showMergeDialog() {
	w.pickFile([]string{".db", ".sqlite", ".sqlite3", ".gloss", ".jsonl"}, w.mergePath)
}

func (w *Workbench) mergePath(path string) {
	s, err := library.Merge(w.ctx, w.store, path)
	if err != nil {
		w.report("Nothing was merged", err)
		return
	}
	if err := w.loadLabels(); err == nil {
		w.refreshPalette()
	}
	w.reloadDocuments()
	w.refreshLayerChoices()
	w.reloadSpans()
	msg := fmt.Sprintf("✓ Merged %s: %s added, %d matched; %s added, %d updated, %d deleted, %d unchanged; %s, %s, %s added",
		filepath.Base(path), count(s.DocumentsAdded, "document"), s.DocumentsMatched, count(s.SpansAdded, "span"), s.SpansUpdated, s.SpansDeleted, s.SpansSkipped,
		count(s.StatusesUpdated, "status"), count(s.AnnotatorsAdded, "annotator"), count(s.LabelsAdded, "label"))
	if s.RelationsAdded+s.RelationsDeleted+s.RelationsUpdated > 0 {
		msg += fmt.Sprintf("; %s added, %d updated, %d deleted", count(s.RelationsAdded, "relation"), s.RelationsUpdated, s.RelationsDeleted)
	}
	if s.LeftOut > 0 {
		msg += fmt.Sprintf("; left out %s of %s (the server lets you write only your own layer)",
			count(s.LeftOut, "span"), strings.Join(s.LeftOutOf, ", "))
	}
	w.say(msg)
	body := msg
	if len(s.Conflicts) > 0 {
		body += "\n\nEdited on both sides (the later edit won; the other is in the history):\n" + strings.Join(s.Conflicts[:min(len(s.Conflicts), 12)], "\n")
	}
	body += "\n\nChoose a colleague in Layer to see their labels, or Review ▸ Compare and adjudicate."
	w.show(dialog.NewInformation("Merged", body, w.win))
}
