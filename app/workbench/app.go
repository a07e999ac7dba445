// Package workbench is Gloss's window: the document list, the article view, the
// label palette and the span list, wired to the store. Every edit goes to
// storage in its own transaction the moment it happens.
package workbench

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gloss/storage"
	"gloss/widgets"
)

// ID is the application ID under which Fyne keeps preferences.
const ID = "org.gloss.workbench"

// Preference keys.
const (
	prefAnnotator = "annotator"
	prefLastDoc   = "lastDocument"
)

// Options are the start-up choices made on the command line.
type Options struct {
	// Annotator is the analyst for this run only (--annotator,
	// GLOSS_ANNOTATOR); empty: the name this computer's analyst gave, else
	// asked. It is never remembered, so it cannot leak into the next run
	// on another database.
	Annotator string
}

// Workbench is the main window and the state behind it.
type Workbench struct {
	app   fyne.App
	win   fyne.Window
	store *storage.Store
	ctx   context.Context

	me    storage.Annotator
	gold  storage.Annotator // the adjudicated layer's annotator, once used
	layer layer

	review      *review // the open compare window, if any
	seenVersion int64   // the database's data version after our own last write
	set         storage.LabelSet
	labels      []storage.Label

	list docView // the document list, read page by page
	// listRun runs a document list query off the UI goroutine
	// (defaultListRun; tests run it at once).
	listRun func(work func() ([]int64, error), done func([]int64, error))

	filterText   string
	filterStatus storage.Status // "" for every status
	doc          *storage.Document
	spans        []storage.Span       // the current document's spans of the analyst, by start
	suggs        []storage.Suggestion // its open suggestions above the threshold, by start
	onTrained    func()               // after an edit the learned sources learn from

	text    *widgets.TextView
	palette *widgets.Palette
	// paletteScroll holds the palette: as tall as its labels up to
	// maxPaletteHeight, then it scrolls, so the span list keeps its room.
	paletteScroll *container.Scroll
	spanList      *widgets.SpanList
	docList       *widgets.DocList

	docsTitle   *widget.Label
	docTitle    *widget.Label
	docInfo     *widget.Label
	doneButton  *widget.Button
	prevButton  *widget.Button
	nextButton  *widget.Button
	spansTitle  *widget.Label
	message     *widget.Label
	position    *widget.Label
	statusRow   *fyne.Container // the message and the position
	statusLay   *statusLayout
	layerSelect *widget.Select
	legend      *widgets.Legend // whose outline is whose, in everyone's layer
	note        *notePanel
	menuItems   map[string]*fyne.MenuItem // by label
	lastExport  exportChoice
	split       *container.Split // documents | (article | labels)
	learn       learning         // the suggestion sources, trained in the background
	find        *findBar         // Ctrl+F
	browser     *spanBrowser     // the span browser, when open
	search      *searchPane      // the corpus search pane, when open
	dialogs     []closable       // open dialogs that Escape closes, the last on top
	who         *widget.Label    // who is labelling, in the status line
	learnInfo   *widget.Label    // what the suggestions learned from
	forRun      bool             // the analyst was named for this run only (--annotator)
	// noWatch: no polling goroutine (tests, whose driver runs fyne.Do on
	// the calling goroutine, call noticeVersion themselves).
	noWatch bool
	menu    *fyne.MainMenu
	// holdPosition is true while an edit is being shown (see showPosition).
	holdPosition bool
	// shownSpans is len(spans) when the article and span list last showed
	// them all (see showAddedSpan).
	shownSpans int

	// Relations and attributes of the document on screen (its layer's).
	rels        []storage.Relation
	attrVals    map[string][]storage.AttributeValue // by span or relation ID
	relTypes    []storage.RelationType
	attrs       []storage.Attribute
	pick        *relPick    // a relation being made
	typePopup   *typeChoice // the open relation type popup
	attrKeys    bool        // A was pressed: a digit sets an attribute
	showAllRels bool        // every relation drawn, not only the selected span's
	relPanel    *relationPanel
	lastValues  map[string]string // attribute ID -> last value set, for those that remember
}

// New builds the window for store. The analyst is opts.Annotator, else the
// name kept in preferences; when neither is known, Start asks for it.
func New(a fyne.App, store *storage.Store, opts Options) (*Workbench, error) {
	w := &Workbench{app: a, store: store, ctx: context.Background(), lastValues: map[string]string{}, listRun: defaultListRun}
	w.list = docView{w: w, rows: map[int64]storage.DocumentRow{}, idSeq: map[string]int64{}}
	set, err := store.DefaultLabelSet(w.ctx)
	if err != nil {
		return nil, err
	}
	w.set = set
	if err := w.loadLabels(); err != nil {
		return nil, err
	}
	name, remember := strings.TrimSpace(opts.Annotator), false
	w.forRun = name != ""
	if me, _, ok := store.ServerRole(); ok && me.ID != "" {
		// On a team server the analyst is the role connected: the server
		// lets it write its own layer only, whatever name is given.
		if name != "" && !strings.EqualFold(name, me.Name) {
			return nil, fmt.Errorf("--annotator %s: you connect to %s as %s, and the server lets you write %s's layer only; connect as %s's role to label as them", name, store.Path(), me.Name, me.Name, name)
		}
		name, w.forRun = me.Name, true
	}
	if name == "" {
		name = strings.TrimSpace(a.Preferences().String(prefAnnotator))
	}
	if name != "" {
		if err := w.setAnnotator(name, remember); err != nil {
			return nil, err
		}
	}
	w.win = a.NewWindow("Gloss")
	w.build()
	w.showAllRels = a.Preferences().BoolWithFallback(prefAllRelations, true)
	w.text.SetShowAllRelations(w.showAllRels)
	w.applyView()
	w.win.SetCloseIntercept(func() { w.rememberWindow(); w.saveNote(); w.win.Close() })
	return w, nil
}

// quit saves a note being typed and ends the program.
func (w *Workbench) quit() {
	w.saveNote()
	w.rememberWindow()
	w.app.Quit()
}

// Window is the main window.
func (w *Workbench) Window() fyne.Window { return w.win }

// Start shows the window, asks for the analyst's name if it is not known yet,
// imports files and opens a document.
func (w *Workbench) Start(files []string) {
	w.restoreWindow()
	w.win.Show()
	begin := func() {
		w.watch()
		w.startLearning()
		w.reloadDocuments()
		if len(files) > 0 {
			w.importPaths(files)
			return
		}
		w.openInitial()
	}
	if w.me.ID == "" {
		w.askAnnotator(begin)
		return
	}
	begin()
}

// setAnnotator makes name the analyst whose layer is "mine". The identity
// is the person at this computer, whatever database is open: remember keeps
// it for the next start (the name prompt, File ▸ Switch analyst), which a
// name given for one run (--annotator) never does.
func (w *Workbench) setAnnotator(name string, remember bool) error {
	me, err := w.store.EnsureAnnotator(w.ctx, name)
	if err != nil {
		return fmt.Errorf("analyst %q: %w", name, err)
	}
	w.me = me
	if remember {
		w.app.Preferences().SetString(prefAnnotator, me.Name)
	}
	w.markSeen() // a new annotator row is our own write
	return nil
}

func (w *Workbench) loadLabels() error {
	labels, err := w.store.Labels(w.ctx, w.set.ID)
	if err != nil {
		return err
	}
	w.labels = labels
	return w.loadRelationSchema()
}

// openInitial opens the document the analyst had open last, else the first.
func (w *Workbench) openInitial() {
	last := w.app.Preferences().String(w.lastDocKey())
	if last != "" && w.list.exists(last) {
		w.openDocument(last)
		return
	}
	if w.list.Len() > 0 {
		w.openDocument(w.list.idAt(0))
		return
	}
	w.refreshHeader()
}

func (w *Workbench) updateTitle() {
	title := "Gloss"
	if w.doc != nil {
		title = w.doc.Title + " — Gloss"
	}
	if w.me.Name != "" {
		title += " — " + w.me.Name
	}
	if w.store.OnServer() {
		title += " @ " + serverPlace(w.store.Path())
	}
	w.win.SetTitle(title)
}
