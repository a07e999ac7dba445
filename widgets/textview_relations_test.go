package widgets

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// Relation colours no span of these tests uses.
var (
	causeCol = color.NRGBA{0x00, 0x9e, 0x73, 0xff}
	quoteCol = color.NRGBA{0xd5, 0x5e, 0x00, 0xff}
)

const relText = "Alpha beta gamma delta epsilon zeta eta theta iota kappa."

// relView shows relText on one line with spans a (Alpha), g (gamma),
// e (epsilon) and t (theta).
func relView(t *testing.T) *TextView {
	t.Helper()
	v, _ := newTestView(t, relText, fyne.NewSize(800, 400))
	var spans []Span
	for _, w := range []string{"Alpha", "gamma", "epsilon", "theta"} {
		s, e := spanOf(t, relText, w)
		spans = append(spans, Span{ID: strings.ToLower(w[:1]), Start: s, End: e, Label: "Claim", Color: claimCol})
	}
	v.SetSpans(spans)
	return v
}

// spanMidX is the widget x of the middle of span [s, e) on a plain line.
func spanMidX(v *TextView, s, e int) float32 {
	a, _ := v.positionOf(s)
	b, _ := v.positionOf(e)
	return (a.X + b.X) / 2
}

func midOf(t *testing.T, v *TextView, word string) float32 {
	t.Helper()
	s, e := spanOf(t, v.Text(), word)
	return spanMidX(v, s, e)
}

// bars returns the visible rectangles filled with c wider than tall.
func bars(v *TextView, c color.Color) []*canvas.Rectangle {
	var out []*canvas.Rectangle
	for _, r := range rectsFilled(v, c) {
		if r.Size().Width > r.Size().Height {
			out = append(out, r)
		}
	}
	return out
}

// arrowTips returns where the arrow heads drawn in c point.
func arrowTips(v *TextView, c color.Color) []fyne.Position {
	var out []fyne.Position
	for _, o := range test.WidgetRenderer(v).Objects() {
		if l, ok := o.(*canvas.Line); ok && tvNRGBA(l.StrokeColor) == tvNRGBA(c) {
			out = append(out, l.Position2)
		}
	}
	return out
}

func TestRelationBracketOnOneLine(t *testing.T) {
	v := relView(t)
	v.SetRelations([]Relation{{ID: "r1", From: "a", To: "g", Label: "Cause", Color: causeCol, Directed: true}})
	test.WidgetRenderer(v).Refresh()
	lineTop := v.lineScreenY(0, 0)
	ln := &v.doc.lay[0].lines[0]
	// The room is there before the arc is drawn, so that selecting the
	// span moves no text.
	if ln.arcH < v.m.arcLevelH || len(bars(v, causeCol)) != 0 {
		t.Fatalf("no span selected: %v px of arc room (want the room), %d bars (want none)", ln.arcH, len(bars(v, causeCol)))
	}
	textBefore := ln.textTop
	v.SelectSpan("a")
	ln = &v.doc.lay[0].lines[0]
	if ln.textTop != textBefore {
		t.Errorf("selecting the span moved the text from %v to %v", textBefore, ln.textTop)
	}
	if ln.arcH < v.m.arcLevelH || ln.textTop != ln.arcH+v.m.tagRoom {
		t.Fatalf("arc room %v, text top %v (tag room %v)", ln.arcH, ln.textTop, v.m.tagRoom)
	}
	textTop := lineTop + ln.textTop
	bs := bars(v, causeCol)
	if len(bs) != 1 {
		t.Fatalf("%d bars in the relation's colour, want 1", len(bs))
	}
	b := bs[0]
	xa, xg := midOf(t, v, "Alpha"), midOf(t, v, "gamma")
	if b.Position().Y < lineTop || b.Position().Y+b.Size().Height > textTop-v.m.tagRoom {
		t.Errorf("bar at y %v..%v, want in the room above the tags (%v..%v)", b.Position().Y, b.Position().Y+b.Size().Height, lineTop, textTop-v.m.tagRoom)
	}
	if x0, x1 := b.Position().X+1, b.Position().X+b.Size().Width-1; !near(x0, roundPx(xa)) || !near(x1, roundPx(xg)) {
		t.Errorf("bar from %v to %v, want from Alpha's middle %v to gamma's %v", x0, x1, xa, xg)
	}
	if b.Size().Height != 2 {
		t.Errorf("strong bar %v px thick, want 2", b.Size().Height)
	}
	legs := 0
	for _, r := range rectsFilled(v, causeCol) {
		if r.Size().Height > r.Size().Width {
			legs++
			if foot := r.Position().Y + r.Size().Height; foot > textTop-v.m.tagRoom+1 {
				t.Errorf("leg reaches down to %v, into the tag strip at %v", foot, textTop-v.m.tagRoom)
			}
		}
	}
	if legs != 2 {
		t.Errorf("%d legs, want 2", legs)
	}
	tips := arrowTips(v, causeCol)
	if len(tips) != 2 || !near(tips[0].X, roundPx(xg)) {
		t.Errorf("arrow head tips %v, want two at gamma's middle x %v", tips, xg)
	}
	if !containsStr(textsOf(v), "Cause") {
		t.Errorf("label not drawn: %q", textsOf(v))
	}
	// A symmetric relation has no head.
	v.SetRelations([]Relation{{ID: "r1", From: "a", To: "g", Label: "Cause", Color: causeCol}})
	if tips := arrowTips(v, causeCol); len(tips) != 0 {
		t.Errorf("symmetric relation has arrow heads %v", tips)
	}
}

func TestRelationsStackInLevels(t *testing.T) {
	v := relView(t)
	v.SetRelations([]Relation{
		{ID: "ag", From: "a", To: "g", Label: "Cause", Color: causeCol},
		{ID: "ae", From: "a", To: "e", Label: "Cause", Color: quoteCol},
		{ID: "et", From: "e", To: "t", Label: "Quote", Color: figureCol, Directed: true},
		{ID: "gt", From: "g", To: "t", Label: "Quote", Color: propCol},
	})
	v.SetShowAllRelations(true)
	ln := &v.doc.lay[0].lines[0]
	if len(ln.arcs) != 4 {
		t.Fatalf("%d arcs on the line, want 4", len(ln.arcs))
	}
	level := map[string]int8{}
	for i := range ln.arcs {
		a := &ln.arcs[i]
		level[v.rel.list[a.rel].ID] = a.level
		for j := range ln.arcs[:i] {
			b := &ln.arcs[j]
			alo, ahi := a.extent()
			blo, bhi := b.extent()
			if a.level == b.level && alo < bhi && blo < ahi {
				t.Errorf("%s and %s overlap on level %d", v.rel.list[a.rel].ID, v.rel.list[b.rel].ID, a.level)
			}
		}
	}
	if level["ag"] != 0 || level["ae"] <= level["ag"] {
		t.Errorf("levels %v: the short a–g arc must sit lowest, a–e (around it) above", level)
	}
	if h := float32(levelsOf(ln)) * v.m.arcLevelH; ln.arcH < h {
		t.Errorf("arc room %v for %d levels", ln.arcH, levelsOf(ln))
	}
	// What is drawn: the bars of different relations that share x are on
	// different rows and do not touch.
	var drawn []*canvas.Rectangle
	for _, c := range []color.Color{causeCol, quoteCol, figureCol, propCol} {
		drawn = append(drawn, bars(v, c)...)
		drawn = append(drawn, bars(v, tvAlpha(c, 0.35))...)
	}
	if len(drawn) != 4 {
		t.Fatalf("%d bars drawn, want 4", len(drawn))
	}
	for i, a := range drawn {
		for _, b := range drawn[:i] {
			ax0, ax1 := a.Position().X, a.Position().X+a.Size().Width
			bx0, bx1 := b.Position().X, b.Position().X+b.Size().Width
			ay0, ay1 := a.Position().Y, a.Position().Y+a.Size().Height
			by0, by1 := b.Position().Y, b.Position().Y+b.Size().Height
			if ax0 < bx1 && bx0 < ax1 && ay0 < by1 && by0 < ay1 {
				t.Errorf("bars overlap: %v+%v and %v+%v", a.Position(), a.Size(), b.Position(), b.Size())
			}
		}
	}
}

func levelsOf(ln *lineLayout) int {
	n := 0
	for i := range ln.arcs {
		n = max(n, int(ln.arcs[i].level)+1)
	}
	return n
}

func TestRelationToAnOffScreenEnd(t *testing.T) {
	text := "Alpha starts here.\n" + bigText(20_000) + "\nOmega ends here."
	v, _ := newTestView(t, text, fyne.NewSize(800, 400))
	as, ae := spanOf(t, text, "Alpha")
	zs, ze := spanOf(t, text, "Omega")
	v.SetSpans([]Span{
		{ID: "a", Start: as, End: ae, Label: "Claim", Color: claimCol},
		{ID: "z", Start: zs, End: ze, Label: "Claim", Color: claimCol},
	})
	v.SetRelations([]Relation{{ID: "r", From: "a", To: "z", Label: "Cause", Color: causeCol, Directed: true}})
	v.SelectSpan("a")
	bs := bars(v, causeCol)
	if len(bs) != 1 {
		t.Fatalf("%d bars, want 1", len(bs))
	}
	right := v.m.colX + v.m.colW
	if x0, x1 := bs[0].Position().X+1, bs[0].Position().X+bs[0].Size().Width-1; !near(x0, roundPx(spanMidX(v, as, ae))) || !near(x1, right) {
		t.Errorf("bar from %v to %v, want from Alpha's middle %v to the column's right edge %v", x0, x1, spanMidX(v, as, ae), right)
	}
	if len(arrowTips(v, causeCol)) != 0 {
		t.Error("the From end has an arrow head")
	}
	if !containsStr(textsOf(v), "Cause") {
		t.Error("no label on the From end")
	}
	// Select the other end: it is scrolled into view, its arc runs to the
	// left edge and ends in the arrow head.
	v.SelectSpan("z")
	bs = bars(v, causeCol)
	if len(bs) != 1 {
		t.Fatalf("at Omega: %d bars, want 1", len(bs))
	}
	if x0, x1 := bs[0].Position().X+1, bs[0].Position().X+bs[0].Size().Width-1; !near(x0, v.m.colX) || !near(x1, roundPx(spanMidX(v, zs, ze))) {
		t.Errorf("bar from %v to %v, want from the left edge %v to Omega's middle %v", x0, x1, v.m.colX, spanMidX(v, zs, ze))
	}
	if tips := arrowTips(v, causeCol); len(tips) != 2 || !near(tips[0].X, roundPx(spanMidX(v, zs, ze))) {
		t.Errorf("arrow tips %v, want at Omega", tips)
	}
}

func TestRelationsShownForTheSelectedSpan(t *testing.T) {
	v := relView(t)
	v.SetRelations([]Relation{
		{ID: "ag", From: "a", To: "g", Label: "Cause", Color: causeCol},
		{ID: "et", From: "e", To: "t", Label: "Quote", Color: quoteCol},
	})
	count := func(c color.Color) int { return len(bars(v, c)) }
	if count(causeCol)+count(quoteCol) != 0 {
		t.Fatal("arcs drawn with no span selected")
	}
	v.SelectSpan("a")
	if count(causeCol) != 1 || count(quoteCol) != 0 || count(tvAlpha(quoteCol, 0.35)) != 0 {
		t.Errorf("span a selected: %d a–g bars, %d e–t bars; want only a–g", count(causeCol), count(quoteCol))
	}
	v.SetShowAllRelations(true)
	strong, faint := bars(v, causeCol), bars(v, tvAlpha(quoteCol, 0.35))
	if len(strong) != 1 || len(faint) != 1 || count(quoteCol) != 0 {
		t.Fatalf("show all: %d strong a–g, %d faint e–t, %d strong e–t", len(strong), len(faint), count(quoteCol))
	}
	if strong[0].Size().Height != 2 || faint[0].Size().Height != 1 {
		t.Errorf("strong %v px, faint %v px; want 2 and 1", strong[0].Size().Height, faint[0].Size().Height)
	}
	v.SelectRelation("et")
	if sel := bars(v, quoteCol); len(sel) != 1 || sel[0].Size().Height != 3 {
		t.Errorf("the selected relation is not drawn thicker: %v", sel)
	}
	v.SetShowAllRelations(false)
	v.SelectSpan("")
	if count(quoteCol) != 1 || count(causeCol) != 0 {
		t.Errorf("no span, relation e–t selected: %d e–t bars, %d a–g; want only e–t", count(quoteCol), count(causeCol))
	}
	v.SelectRelation("")
	if count(quoteCol)+count(causeCol) != 0 {
		t.Error("nothing selected, yet arcs are drawn")
	}
	if v.doc.lay[0].lines[0].arcH == 0 {
		t.Error("nothing selected, the line lost its arc room (the text would move)")
	}
}

// barCentre returns the middle of the bar drawn in c.
func barCentre(t *testing.T, v *TextView, c color.Color) fyne.Position {
	t.Helper()
	bs := bars(v, c)
	if len(bs) == 0 {
		t.Fatal("no bar")
	}
	// Off the label, which sits in the middle.
	b := bs[0]
	return b.Position().AddXY(6, b.Size().Height/2)
}

func TestClickAnArcSelectsTheRelation(t *testing.T) {
	v := relView(t)
	clock := withClock(v)
	v.SetRelations([]Relation{
		{ID: "ag", From: "a", To: "g", Label: "Cause", Color: causeCol},
		{ID: "at", From: "a", To: "t", Label: "Quote", Color: quoteCol},
	})
	var got []string
	v.OnRelationSelected = func(id string) { got = append(got, id) }
	var spans []string
	v.OnSpanSelected = func(id string) { spans = append(spans, id) }
	v.SelectSpan("a")

	// A click on plain text, with no relation selected, reports none.
	click(v, inside(v, strings.Index(relText, "zeta")), 0)
	if len(got) != 0 || v.SelectedRelation() != "" {
		t.Fatalf("a click on text reported relations %q", got)
	}
	v.SelectSpan("a")
	spans = nil

	click(v, barCentre(t, v, quoteCol), 0)
	if v.SelectedRelation() != "at" || len(got) != 1 || got[0] != "at" {
		t.Fatalf("click on the a–t bar: selected %q, reported %q", v.SelectedRelation(), got)
	}
	if v.SelectedSpan() != "a" || len(spans) != 0 {
		t.Errorf("the click changed the span selection: %q, reported %q", v.SelectedSpan(), spans)
	}
	if _, _, ok := v.Selection(); ok {
		t.Error("the click selected text")
	}
	// Dragging from an arc selects no text either.
	drag(v, barCentre(t, v, causeCol), inside(v, strings.Index(relText, "kappa")), 0)
	if _, _, ok := v.Selection(); ok || v.SelectedRelation() != "ag" {
		t.Errorf("a drag from the a–g arc: relation %q, text selected %v", v.SelectedRelation(), ok)
	}

	// The label picks too (a tap without mouse-down, as test.Tap sends).
	got = nil
	var label *canvas.Text
	for _, o := range test.WidgetRenderer(v).Objects() {
		if tx, ok := o.(*canvas.Text); ok && tx.Text == "Quote" {
			label = tx
		}
	}
	if label == nil {
		t.Fatal("no Quote label")
	}
	test.TapAt(v, label.Position().AddXY(label.Size().Width/2, label.Size().Height/2))
	if v.SelectedRelation() != "at" || len(got) != 1 || got[0] != "at" {
		t.Errorf("tap on the label: selected %q, reported %q", v.SelectedRelation(), got)
	}

	// A click elsewhere clears it.
	got = nil
	clock.advance(1000)
	click(v, inside(v, strings.Index(relText, "zeta")), 0)
	if v.SelectedRelation() != "" || len(got) != 1 || got[0] != "" {
		t.Errorf("click on text: selected %q, reported %q; want it cleared", v.SelectedRelation(), got)
	}
	// A click just above a bar's level, in empty room, is no click on it.
	v.SelectSpan("a")
	got = nil
	p := barCentre(t, v, causeCol)
	click(v, p.AddXY(0, -arcSlop-3), 0)
	if len(got) != 0 {
		t.Errorf("click off the bar reported %q", got)
	}
}

func TestCtrlDragProposesARelation(t *testing.T) {
	v := relView(t)
	clock := withClock(v)
	var made [][2]string
	v.OnRelationDrag = func(from, to string) { made = append(made, [2]string{from, to}) }
	from := inside(v, strings.Index(relText, "gamma")+1)
	to := inside(v, strings.Index(relText, "theta")+1)

	drag(v, from, to, fyne.KeyModifierControl)
	if len(made) != 1 || made[0] != [2]string{"g", "t"} {
		t.Fatalf("Ctrl+drag gamma → theta proposed %v", made)
	}
	if _, _, ok := v.Selection(); ok {
		t.Error("the Ctrl+drag selected text")
	}
	// Ending on plain text or on the same span proposes nothing; a plain
	// drag selects text as before.
	for _, d := range []struct {
		to   fyne.Position
		mods fyne.KeyModifier
	}{
		{inside(v, strings.Index(relText, "zeta")+1), fyne.KeyModifierControl},
		{from.AddXY(3, 0), fyne.KeyModifierControl},
		{to, 0},
	} {
		clock.advance(1000)
		drag(v, from, d.to, d.mods)
	}
	if len(made) != 1 {
		t.Errorf("proposed %v", made)
	}
	if _, _, ok := v.Selection(); !ok {
		t.Error("a plain drag selected nothing")
	}
	// While dragging, a dashed line runs to the pointer.
	v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from}, Button: desktop.MouseButtonPrimary, Modifier: fyne.KeyModifierControl})
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.NewDelta(to.X-from.X, 0)})
	if tips := arrowTips(v, v.m.primary); len(tips) < 4 || tips[len(tips)-1] != to {
		t.Errorf("dashed line while dragging: %d dashes ending %v", len(tips), tips)
	}
	v.DragEnd()
	v.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: to}, Button: desktop.MouseButtonPrimary})
	if len(arrowTips(v, v.m.primary)) != 0 {
		t.Error("the dashed line stays after the drag")
	}
	// Escape cancels it: the rest of the drag does nothing.
	clock.advance(1000)
	v.ClearSelection()
	made = nil
	v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from}, Button: desktop.MouseButtonPrimary, Modifier: fyne.KeyModifierControl})
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: from.AddXY(20, 0)}, Dragged: fyne.NewDelta(20, 0)})
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.NewDelta(to.X-from.X-20, 0)})
	v.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: to}, Button: desktop.MouseButtonPrimary})
	v.DragEnd()
	if _, _, ok := v.Selection(); ok || len(made) != 0 || len(arrowTips(v, v.m.primary)) != 0 {
		t.Errorf("after Escape: proposed %v, text selected %v", made, ok)
	}
	// A Ctrl+click on a span still selects it.
	clock.advance(1000)
	click(v, from, fyne.KeyModifierControl)
	if v.SelectedSpan() != "g" {
		t.Errorf("Ctrl+click selected %q", v.SelectedSpan())
	}
	// Read-only views propose nothing.
	v.SetReadOnly(true)
	made = nil
	drag(v, from, to, fyne.KeyModifierControl)
	if len(made) != 0 {
		t.Errorf("read-only view proposed %v", made)
	}
}

func TestPendingRelation(t *testing.T) {
	v := relView(t)
	v.SetPendingRelation("a")
	// No other span selected: a dashed line follows the pointer.
	to := inside(v, strings.Index(relText, "zeta"))
	v.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: to}})
	if tips := arrowTips(v, v.m.primary); len(tips) < 4 || tips[len(tips)-1] != to {
		t.Fatalf("pending relation to the pointer: %d dashes", len(tips))
	}
	// Another span selected: a dashed arc (patterned edges) from a to it.
	v.SelectSpan("e")
	ln := &v.doc.lay[0].lines[0]
	if len(ln.arcs) != 1 || ln.arcs[0].rel != -1 {
		t.Fatalf("arcs %+v, want the pending one", ln.arcs)
	}
	var dashes []*canvas.Raster
	for _, o := range test.WidgetRenderer(v).Objects() {
		if r, ok := o.(*canvas.Raster); ok {
			dashes = append(dashes, r)
		}
	}
	xa, xe := midOf(t, v, "Alpha"), midOf(t, v, "epsilon")
	var wide *canvas.Raster
	for _, r := range dashes {
		if r.Size().Width > 20 {
			wide = r
		}
	}
	if len(dashes) != 3 || wide == nil || wide.Position().X+1-xa > 1 || xe-(wide.Position().X+wide.Size().Width-1) > 1 {
		t.Errorf("%d dashed edges; want a bar from %v to %v and two legs", len(dashes), xa, xe)
	}
	if wide != nil && wide.Position().Y >= v.lineScreenY(0, 0)+ln.textTop {
		t.Error("the dashed arc is not above the line")
	}
	if tips := arrowTips(v, v.m.primary); len(tips) != 2 || !near(tips[0].X, roundPx(xe)) {
		t.Errorf("the pending arc's head %v, want at epsilon (%v)", tips, xe)
	}
	v.SetPendingRelation("")
	if len(ln.arcs) != 0 || len(arrowTips(v, v.m.primary)) != 0 {
		t.Error("the pending arc stays")
	}
}

func TestRelationsOnRightToLeftLines(t *testing.T) {
	text := "قال الوزير إن الاتفاق يضمن حصة عادلة للجميع وأضاف المتحدث أن اللجنة ستنشر البيانات."
	v := newBidiView(t, text)
	var spans []Span
	for i, w := range []string{"الوزير", "الاتفاق", "حصة", "اللجنة"} {
		s, e := spanOf(t, text, w)
		spans = append(spans, Span{ID: itoa(i), Start: s, End: e, Label: "Claim", Color: claimCol})
	}
	v.SetSpans(spans)
	v.SetRelations([]Relation{
		{ID: "r0", From: "0", To: "1", Label: "Cause", Color: causeCol, Directed: true},
		{ID: "r1", From: "2", To: "3", Label: "Quote", Color: quoteCol},
		{ID: "r2", From: "0", To: "3", Label: "Cause", Color: figureCol},
	})
	v.SetShowAllRelations(true)
	v.SelectSpan("0")
	if v.doc.lay[0].lines[0].bidi == nil {
		t.Fatal("the line is not laid out right to left")
	}
	n := 0
	for _, o := range test.WidgetRenderer(v).Objects() {
		if r, ok := o.(*canvas.Rectangle); ok && r.Size().Width > r.Size().Height {
			switch tvNRGBA(r.FillColor) {
			case causeCol, tvAlpha(quoteCol, 0.35), figureCol:
			default:
				continue
			}
			n++
			if x0, x1 := r.Position().X, r.Position().X+r.Size().Width; x0 < v.m.colX-2 || x1 > v.m.colX+v.m.colW+2 {
				t.Errorf("bar %v..%v outside the column %v..%v", x0, x1, v.m.colX, v.m.colX+v.m.colW)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d bars, want 3", n)
	}
	// The anchors are the spans' drawn middles.
	for _, a := range v.doc.lay[0].lines[0].arcs {
		if a.x0 < 0 || a.x1 > v.m.colW || a.lx < 0 || a.lx+a.lw > v.m.colW+0.5 {
			t.Errorf("arc %+v outside the column (0..%v)", a, v.m.colW)
		}
	}
	savePNG(t, fyne.CurrentApp().Driver().CanvasForObject(v).Capture(), "relations-rtl.png")

	// An end later in the text is reached through the line's end in
	// reading order: its left edge in a right-to-left paragraph.
	more := text + "\nوقالت الوزارة إن الاتفاق يضمن 48 مليار متر مكعب سنوياً."
	v.SetText(more)
	s, e := spanOf(t, more, "الوزارة")
	v.SetSpans(append(spans, Span{ID: "x", Start: s, End: e, Label: "Claim", Color: claimCol}))
	v.SetRelations([]Relation{{ID: "rx", From: "0", To: "x", Label: "Cause", Color: causeCol, Directed: true}})
	v.SelectSpan("0")
	arcs := v.doc.lay[0].lines[0].arcs
	if len(arcs) != 1 || arcs[0].x0 != 0 || arcs[0].parts&arcLeg1 == 0 {
		t.Errorf("arcs %+v: want one from the left edge to the span", arcs)
	}
	if arcs := v.doc.lay[1].lines[0].arcs; len(arcs) != 1 || arcs[0].x1 != v.m.colW || arcs[0].parts&arcHead0 == 0 {
		t.Errorf("arcs at the To end %+v: want one from the span, with its head, to the right edge", arcs)
	}
}

func TestRelationsLook(t *testing.T) {
	text := "The council approved 280,000 homes, a plan costing $3.5bn that critics called reckless, while 12% of residents said they would move.\n" +
		"The minister proposed a tax on second homes to fund the scheme, and the opposition said the figures did not add up."
	v, w := newTestView(t, text, fyne.NewSize(800, 300))
	var spans []Span
	for i, s := range []string{"The council", "280,000 homes", "$3.5bn", "critics", "12% of residents", "The minister", "a tax on second homes", "the opposition"} {
		a, b := spanOf(t, text, s)
		spans = append(spans, Span{ID: itoa(i), Start: a, End: b, Label: []string{"Actor", "Figure", "Figure", "Actor", "Figure", "Actor", "Proposal", "Actor"}[i], Color: []color.Color{claimCol, figureCol, figureCol, claimCol, figureCol, claimCol, propCol, claimCol}[i]})
	}
	v.SetSpans(spans)
	v.SetRelations([]Relation{
		{ID: "r0", From: "0", To: "1", Label: "approves", Color: causeCol, Directed: true},
		{ID: "r1", From: "1", To: "2", Label: "costs", Color: quoteCol, Directed: true},
		{ID: "r2", From: "3", To: "1", Label: "criticises", Color: figureCol, Directed: true},
		{ID: "r3", From: "5", To: "6", Label: "proposes", Color: causeCol, Directed: true},
		{ID: "r4", From: "7", To: "6", Label: "opposes", Color: propCol, Directed: true},
		{ID: "r5", From: "0", To: "5", Label: "same side", Color: quoteCol},
	})
	v.SetShowAllRelations(true)
	v.SelectSpan("1")
	v.SelectRelation("r1")
	img := w.Canvas().Capture()
	savePNG(t, img, "relations.png")
	savePNG(t, zoom(img, image.Rect(0, 0, 500, 160), 2), "relations-zoom.png")
}

func TestClickedSpanKeepsItsPlace(t *testing.T) {
	text := bigText(6_000)
	v, _ := newTestView(t, text, fyne.NewSize(800, 400))
	clock := withClock(v)
	spans := spansFor(len([]rune(text)), 60)
	v.SetSpans(spans)
	v.SetRelations(relationsFor(spans, 60))
	v.ScrollToOffset(spans[30].Start)
	for _, i := range []int{30, 31, 24} {
		sp := spans[i]
		at := inside(v, sp.Start+1)
		if v.charAt(at) < sp.Start || v.charAt(at) >= sp.End {
			t.Fatalf("span %d not on screen at %v", i, at)
		}
		before, _ := v.positionOf(sp.Start)
		clock.advance(1000)
		click(v, at, 0)
		if v.SelectedSpan() != sp.ID {
			t.Fatalf("clicked span %d, selected %q", i, v.SelectedSpan())
		}
		after, _ := v.positionOf(sp.Start)
		if !near(before.Y, after.Y) {
			t.Errorf("span %d's text moved from y %v to %v when its arcs appeared", i, before.Y, after.Y)
		}
		p, li := v.lineOf(sp.Start)
		if v.doc.lay[p].lines[li].arcH == 0 {
			t.Errorf("span %d's line has no arc room", i)
		}
	}
}

// Selecting spans never re-measures lines: every relation has its room
// whether it is drawn or not.
func TestSelectionWithoutArcsKeepsTheLayout(t *testing.T) {
	v := relView(t)
	gen := v.spanGen
	v.SelectSpan("a")
	v.SelectSpan("g")
	if v.spanGen != gen {
		t.Fatalf("no relations: selecting spans re-measured the lines (gen %d → %d)", gen, v.spanGen)
	}
	v.SetRelations([]Relation{{ID: "r", From: "e", To: "t", Label: "Cause", Color: causeCol}})
	gen = v.spanGen
	v.SelectSpan("a")
	if v.spanGen != gen {
		t.Error("a span without relations selected: the lines were re-measured")
	}
	v.SelectSpan("e")
	if v.spanGen != gen {
		t.Error("selecting a span with a relation re-measured the lines")
	}
	if len(bars(v, causeCol)) != 1 || v.doc.lay[0].lines[0].arcH == 0 {
		t.Error("selecting a span with a relation drew no arc")
	}
}

// TestRelationStyle: a dashed relation's bar is drawn in pieces of the
// pattern, a plain one in one rectangle.
func TestRelationStyle(t *testing.T) {
	v := relView(t)
	v.SetShowAllRelations(true)
	v.SetRelations([]Relation{{ID: "r1", From: "a", To: "g", Label: "Cause", Color: causeCol, Directed: true}})
	v.SelectSpan("a")
	solid := len(bars(v, causeCol))
	v.SetRelations([]Relation{{ID: "r1", From: "a", To: "g", Label: "Cause", Color: causeCol, Directed: true, Style: OutlineDashed}})
	if solid != 1 || len(bars(v, causeCol)) != 0 {
		t.Errorf("solid: %d bars in the colour (want 1); dashed: %d plain bars (want none, the pattern draws it)", solid, len(bars(v, causeCol)))
	}
}
