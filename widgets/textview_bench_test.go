package widgets

import (
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

var benchText = bigText(1_000_000)

// benchView returns a view in a 1000×800 window showing benchText.
func benchView(b *testing.B) (*TextView, fyne.Window) {
	v, w := emptyBenchView(b)
	v.SetText(benchText)
	return v, w
}

func emptyBenchView(b *testing.B) (*TextView, fyne.Window) {
	b.Helper()
	test.NewTempApp(b)
	v := NewTextView()
	w := test.NewTempWindow(b, v)
	w.Resize(fyne.NewSize(1000, 800))
	return v, w
}

// spansFor returns n spans spread over the text, one in five nested in the
// previous one.
func spansFor(textLen, n int) []Span {
	cols := []color.Color{claimCol, figureCol, propCol}
	labels := []string{"Claim", "Figure", "Proposal"}
	spans := make([]Span, 0, n)
	step := textLen / n
	for i := 0; i < n; i++ {
		s := i * step
		e := s + 10 + i%40
		if i%5 == 4 {
			s = spans[i-1].Start + 2
			e = s + 5
		}
		spans = append(spans, Span{ID: "s" + itoa(i), Start: s, End: e, Label: labels[i%3], Color: cols[i%3]})
	}
	return spans
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	p := len(b)
	for ; i > 0; i /= 10 {
		p--
		b[p] = byte('0' + i%10)
	}
	return string(b[p:])
}

// BenchmarkFirstScreen1MB: SetText of a 1 MB article and the first screen's
// layout, in a 1000×800 window.
func BenchmarkFirstScreen1MB(b *testing.B) {
	v, _ := emptyBenchView(b)
	b.ResetTimer()
	for b.Loop() {
		v.SetText(benchText)
	}
	b.ReportMetric(float64(len(test.WidgetRenderer(v).Objects())), "objects")
}

// BenchmarkFirstScreen1MBCapture adds painting the window with the software
// painter (the real app paints with OpenGL).
func BenchmarkFirstScreen1MBCapture(b *testing.B) {
	v, w := emptyBenchView(b)
	b.ResetTimer()
	for b.Loop() {
		v.SetText(benchText)
		w.Canvas().Capture()
	}
}

// BenchmarkScroll: scroll one screen down in the 1 MB text with 10,000
// spans; back to the top at the end. "warm": paragraphs already wrapped once;
// "cold": every paragraph coming into view is wrapped and its new words
// measured on the way.
func BenchmarkScroll(b *testing.B) {
	for _, cold := range []bool{false, true} {
		name := "warm"
		if cold {
			name = "cold"
		}
		b.Run(name, func(b *testing.B) {
			v, _ := benchView(b)
			v.SetSpans(spansFor(len(v.doc.runes), 10_000))
			h := v.Size().Height
			reset := func() {
				if cold {
					v.meas.reset(v.m.textSize)
					clear(v.doc.lay)
				}
				v.TypedShortcut(ctrlKey(fyne.KeyHome))
			}
			reset()
			b.ResetTimer()
			for b.Loop() {
				before := v.topPara
				v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -h/v.wheelStep())}) // h px
				if v.topPara == before {
					reset()
				}
			}
		})
	}
}

// BenchmarkSetSpans10k: replace 10,000 spans and redraw.
func BenchmarkSetSpans10k(b *testing.B) {
	v, _ := benchView(b)
	spans := spansFor(len(v.doc.runes), 10_000)
	b.ResetTimer()
	for b.Loop() {
		v.SetSpans(spans)
	}
}

// BenchmarkLabelAction: with 10,000 spans, select words, add one span for
// them (SetSpans with 10,001) and redraw: what pressing a label key costs.
func BenchmarkLabelAction(b *testing.B) {
	v, _ := benchView(b)
	spans := spansFor(len(v.doc.runes), 10_000)
	v.SetSpans(spans)
	next := make([]Span, len(spans), len(spans)+1)
	b.ResetTimer()
	for b.Loop() {
		v.SetSelection(100, 140)
		s, e, _ := v.Selection()
		copy(next, spans)
		v.SetSpans(append(next, Span{ID: "new", Start: s, End: e, Label: "Claim", Color: claimCol}))
		v.ClearSelection()
	}
}

// bigMixedText returns about size bytes of English paragraphs quoting
// Arabic and Hebrew and of Arabic paragraphs with digits and English names,
// deterministically: every paragraph takes the bidi path.
func bigMixedText(size int) string {
	english := []string{"The deputy minister said", "A farmers’ leader told reporters", "Officials in Cairo repeated", "The negotiator answered"}
	quotes := []string{"«لن نقبل بأي اتفاق لا يضمن حصة عادلة»", "«عام 2024 كان صعباً على الجميع»", "“שלום עולם, מה שלומך?”", "(مرحبا بالعالم)"}
	tails := []string{" before the vote.", ", according to officials.", " on Tuesday.", " — again."}
	arabic := []string{"وقالت الوزارة إن الاتفاق يضمن 48 مليار متر مكعب سنوياً.", "وأضاف المتحدث أن لجنة Gloss ستنشر البيانات خلال 24 ساعة.", "لكل الأجيال القادمة حق في المياه، كما قال.", "ورفض الوفد (الذي وصل أمس) التعليق على الأرقام."}
	var b strings.Builder
	b.Grow(size + 400)
	x := uint32(2024)
	next := func(n int) int {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		return int(x % uint32(n))
	}
	for b.Len() < size {
		for i, k := 0, 1+next(3); i < k; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			if next(2) == 0 {
				b.WriteString(arabic[next(len(arabic))])
				continue
			}
			b.WriteString(english[next(len(english))])
			b.WriteByte(' ')
			b.WriteString(quotes[next(len(quotes))])
			b.WriteString(tails[next(len(tails))])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

var benchMixedText = bigMixedText(1_000_000)

// BenchmarkFirstScreenMixedRTL1MB: SetText of a 1 MB article mixing Arabic,
// Hebrew and English and the first screen's layout, as
// BenchmarkFirstScreen1MB.
func BenchmarkFirstScreenMixedRTL1MB(b *testing.B) {
	v, _ := emptyBenchView(b)
	b.ResetTimer()
	for b.Loop() {
		v.SetText(benchMixedText)
	}
	b.ReportMetric(float64(len(test.WidgetRenderer(v).Objects())), "objects")
}

// relationsFor returns n relations between the spans, each from one span
// to the next (directed) or to the seventh after it (symmetric), so most
// are short brackets on a line and some run across lines.
func relationsFor(spans []Span, n int) []Relation {
	cols := []color.Color{claimCol, figureCol, propCol}
	labels := []string{"Cause", "Quotes", "Supports", "Same as"}
	rs := make([]Relation, 0, n)
	for i := 0; i < n; i++ {
		from, to := i%len(spans), (i+1)%len(spans)
		if i%2 == 1 {
			to = (i + 7) % len(spans)
		}
		rs = append(rs, Relation{ID: "r" + itoa(i), From: spans[from].ID, To: spans[to].ID,
			Label: labels[i%len(labels)], Color: cols[i%len(cols)], Directed: i%2 == 0})
	}
	return rs
}

// BenchmarkRelationsScreen: a 25 KB article with 1,000 spans and 1,000
// relations between them, all shown (SetShowAllRelations), in a 1000×800
// window. "redraw" is one frame of the visible screen (the view's Refresh:
// layout and canvas objects); "relayout" first measures the visible lines
// again and stacks their arcs, as after a change of the selected span;
// "norelations" is the frame of the same spans without relations.
func BenchmarkRelationsScreen(b *testing.B) {
	for _, name := range []string{"norelations", "redraw", "relayout"} {
		b.Run(name, func(b *testing.B) {
			v, _ := emptyBenchView(b)
			v.SetText(bigText(25_000))
			spans := spansFor(len(v.doc.runes), 1000)
			v.SetSpans(spans)
			if name != "norelations" {
				v.SetRelations(relationsFor(spans, 1000))
				v.SetShowAllRelations(true)
			}
			v.SelectSpan(spans[3].ID)
			b.ResetTimer()
			for b.Loop() {
				if name == "relayout" {
					v.spanGen++
				}
				v.Refresh()
			}
			b.StopTimer()
			arcs := 0
			for _, vl := range test.WidgetRenderer(v).(*textViewRenderer).vis {
				arcs += len(vl.ln.arcs)
			}
			b.ReportMetric(float64(arcs), "arcs")
			b.ReportMetric(float64(len(test.WidgetRenderer(v).Objects())), "objects")
		})
	}
}
