package workbench

import (
	"bytes"
	"fmt"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gloss/app/agreement"
	"gloss/app/library"
	"gloss/storage"
	"gloss/widgets"
)

// showAgreement computes inter-annotator agreement over the whole corpus in
// the background and shows it: a pairwise matrix, per-label bars and the
// full report as text (the same as `gloss agree`).
func (w *Workbench) showAgreement() {
	win := w.app.NewWindow("Agreement")
	escapeCloses(win)
	busy := widget.NewProgressBarInfinite()
	win.SetContent(container.NewCenter(container.NewVBox(widget.NewLabel("Measuring agreement…"), busy)))
	win.Resize(fyne.NewSize(1000, 720))
	win.Show()
	go func() {
		docs, spans, err := library.AgreementData(w.ctx, w.store, nil)
		var rep agreement.Report
		if err == nil {
			rep = agreement.Compute(docs, spans, agreement.Options{})
		}
		fyne.Do(func() {
			if err != nil {
				win.SetContent(widget.NewLabel("Could not measure agreement: " + err.Error()))
				return
			}
			win.SetContent(w.agreementView(rep))
		})
	}()
}

// agreementView lays a report out; the metric chooser switches the matrix
// and the bars between exact F1, overlap F1 and Cohen's kappa.
func (w *Workbench) agreementView(rep agreement.Report) fyne.CanvasObject {
	var text bytes.Buffer
	rep.WriteText(&text)
	full := widget.NewLabel(text.String())
	full.TextStyle = fyne.TextStyle{Monospace: true}

	if len(rep.Annotators) < 2 {
		return container.NewVScroll(container.NewVBox(
			widget.NewLabel("Agreement needs at least two annotators with labels on the same documents."), full))
	}
	headline := fmt.Sprintf("%s · computed on the %s (%s) that two or more of them annotated, of %s read · Krippendorff's α %s",
		count(len(rep.Annotators), "annotator"), count(rep.Alpha.Documents, "document"), count(rep.Alpha.Units, "token"),
		count(rep.Documents, "document"), rep.Alpha.Alpha)
	if rep.Fleiss != nil {
		headline += " · Fleiss' κ " + rep.Fleiss.Kappa.String()
	}
	matrix := widgets.NewMatrix()
	bars := widgets.NewBarChart("Per label")
	bars.SetRange(0, 1)
	metrics := []string{"Overlap F1", "Exact F1", "Cohen's κ (tokens)"}
	show := func(m int) {
		n := len(rep.Annotators)
		idx := map[string]int{}
		for i, a := range rep.Annotators {
			idx[a] = i
		}
		vals := make([][]float64, n)
		for i := range vals {
			vals[i] = make([]float64, n)
			for j := range vals[i] {
				vals[i][j] = math.NaN()
			}
		}
		var series []widgets.BarSeries
		for k, p := range rep.Pairs {
			var v agreement.Value
			var match agreement.Match
			switch m {
			case 0:
				match = p.Overlap
				v = p.Overlap.F1
			case 1:
				match = p.Exact
				v = p.Exact.F1
			default:
				v = p.Cohen.Kappa
			}
			vals[idx[p.A]][idx[p.B]] = v.Float()
			vals[idx[p.B]][idx[p.A]] = v.Float()
			if m < 2 {
				s := widgets.BarSeries{Name: p.A + " / " + p.B, Color: widgets.LabelColor(k)}
				for _, l := range rep.Labels {
					f := math.NaN()
					for _, lc := range match.PerLabel {
						if lc.Label == l {
							f = lc.F1.Float()
						}
					}
					s.Values = append(s.Values, zeroNaN(f))
				}
				series = append(series, s)
			}
		}
		matrix.SetData(rep.Annotators, vals)
		if m < 2 {
			bars.SetTitle(metrics[m] + " per label, per pair")
			bars.SetData(rep.Labels, series)
			bars.Show()
		} else {
			bars.Hide()
		}
	}
	choose := widget.NewRadioGroup(metrics, nil)
	choose.Horizontal = true
	choose.OnChanged = func(s string) {
		for i, m := range metrics {
			if m == s {
				show(i)
			}
		}
	}
	choose.SetSelected(metrics[0])
	top := container.NewVBox(widget.NewLabelWithStyle(headline, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), choose)
	charts := container.NewGridWithColumns(2, matrix, bars)
	return container.NewPadded(container.NewBorder(top, nil, nil, nil,
		container.NewVSplit(charts, container.NewScroll(full))))
}

func zeroNaN(f float64) float64 {
	if math.IsNaN(f) {
		return 0
	}
	return f
}

// statusColors match the document list's badges.
var statusOrder = []storage.Status{storage.StatusDone, storage.StatusReviewed, storage.StatusInProgress, storage.StatusTodo}

// showProgress shows, per annotator, how many documents are done and how
// their spans spread over the labels.
func (w *Workbench) showProgress() {
	docs, ps, err := library.Progress(w.ctx, w.store)
	if err != nil {
		w.report("Could not read the progress", err)
		return
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Annotator
	}
	status := widgets.NewBarChart(fmt.Sprintf("Documents per annotator (of %d)", docs))
	status.SetStacked(true)
	status.Format = func(v float64) string { return fmt.Sprintf("%.0f", v) }
	var series []widgets.BarSeries
	for _, st := range statusOrder {
		s := widgets.BarSeries{Name: statusName(st), Color: widgets.StatusColor(string(st))}
		for _, p := range ps {
			s.Values = append(s.Values, float64(p.Status[st]))
		}
		series = append(series, s)
	}
	status.SetData(names, series)

	labels := widgets.NewBarChart("Spans per label, per annotator")
	labels.Format = status.Format
	colors := w.labelColors()
	var ls []widgets.BarSeries
	for _, l := range w.labels {
		s := widgets.BarSeries{Name: l.Name, Color: colorOr(colors[l.ID])}
		for _, p := range ps {
			s.Values = append(s.Values, float64(p.Labels[l.Name]))
		}
		ls = append(ls, s)
	}
	labels.SetData(names, ls)

	win := w.app.NewWindow("Progress")
	escapeCloses(win)
	win.SetContent(container.NewVScroll(container.NewPadded(container.NewVBox(status, widget.NewSeparator(), labels))))
	win.Resize(fyne.NewSize(900, 700))
	win.Show()
}

func colorOr(c color.Color) color.Color {
	if c == nil {
		return color.Gray{Y: 0x99}
	}
	return c
}
