package formats

import (
	"fmt"
	"slices"
	"strings"
)

// Format is one row of the table every list of formats is made from: the
// export and import choosers, the file filters, the command line's usage
// and its checks.
type Format struct {
	Name  string // as given to --format
	Title string // as shown in the window
	// Exts are the file name endings it is read from or written to, the one
	// an export gets first; none for brat, which is a folder.
	Exts   []string
	Import bool // ReadRecords reads it
	Export bool // NewExporter writes it
	// Article: a plain article (no spans), read by ParseArticle.
	Article bool
	// Units are the offset units the format's files can count in, its own
	// first; none when it has no character offsets (conll, hf).
	Units []OffsetUnit
	// Folder: the export writes a folder, not a file.
	Folder bool
	// Suggestions: the format has a place for suggestions (Doc.Suggestions),
	// apart from its annotations: the export writes them there and the
	// import reads them back. Every other format leaves them out.
	Suggestions bool
	// Relations: the format has a place for relations between spans
	// (Doc.Relations): the export writes them and the import reads them
	// back. Every other format leaves them out and counts them
	// (Summary.RelationsLeftOut).
	Relations bool
	// Attributes: the format has a place for attribute values
	// (Span.Attrs; Relation.Attrs in jsonl and brat). Every other format
	// leaves them out and counts them (Summary.AttributesLeftOut).
	Attributes bool
}

// OffsetUnit is how a file counts character offsets.
type OffsetUnit string

const (
	UnitDefault    OffsetUnit = ""           // the format's own (Format.Units[0])
	UnitCodePoints OffsetUnit = "codepoints" // Python str indexing; what Gloss stores
	UnitUTF16      OffsetUnit = "utf16"      // JavaScript string indexing
)

// ParseOffsetUnit reads an offset unit as the command line gives it; the
// old export spelling "codepoint" is still understood.
func ParseOffsetUnit(s string) (OffsetUnit, error) {
	switch strings.ToLower(s) {
	case "":
		return UnitDefault, nil
	case "codepoints", "codepoint":
		return UnitCodePoints, nil
	case "utf16", "utf-16":
		return UnitUTF16, nil
	}
	return UnitDefault, fmt.Errorf("unknown offset unit %q (known: %s, %s)", s, UnitCodePoints, UnitUTF16)
}

var (
	cp    = []OffsetUnit{UnitCodePoints}
	cpU16 = []OffsetUnit{UnitCodePoints, UnitUTF16}
	u16CP = []OffsetUnit{UnitUTF16, UnitCodePoints}
)

// Table is every format Gloss knows, in the order they are listed.
var Table = []Format{
	{Name: "jsonl", Title: "Gloss JSONL — everything, re-importable", Exts: []string{".jsonl"}, Import: true, Export: true, Units: cpU16, Suggestions: true, Relations: true, Attributes: true},
	{Name: "spacy", Title: "spaCy / Prodigy JSONL — tokens, spans and relations", Exts: []string{".jsonl", ".json"}, Import: true, Export: true, Units: cpU16, Relations: true},
	{Name: "doccano", Title: "doccano JSONL — text with [start, end, label], or entities and relations", Exts: []string{".jsonl", ".json"}, Import: true, Export: true, Units: u16CP, Relations: true},
	{Name: "brat", Title: "brat standoff — a folder of .txt and .ann", Exts: []string{".ann"}, Import: true, Export: true, Units: cp, Folder: true, Relations: true, Attributes: true},
	{Name: "conll", Title: "CoNLL-2003 — one token per line, IOB2 tags", Exts: []string{".conll", ".iob", ".bio", ".tsv"}, Import: true, Export: true},
	{Name: "labelstudio", Title: "Label Studio JSON — tasks with annotations", Exts: []string{".json"}, Import: true, Export: true, Units: cpU16, Suggestions: true, Relations: true, Attributes: true},
	{Name: "hf", Title: "Hugging Face token classification JSONL", Exts: []string{".jsonl", ".json"}, Import: true, Export: true},
	{Name: "csv", Title: "CSV — one row per span", Exts: []string{".csv"}, Import: true, Export: true, Units: cpU16},
	{Name: "txt", Title: "Plain text article", Exts: []string{".txt", ".text"}, Import: true, Article: true},
	{Name: "md", Title: "Markdown article", Exts: []string{".md", ".markdown"}, Import: true, Article: true},
	{Name: "html", Title: "HTML article", Exts: []string{".html", ".htm", ".xhtml"}, Import: true, Article: true},
}

// Lookup returns the format called name.
func Lookup(name string) (Format, bool) {
	i := slices.IndexFunc(Table, func(f Format) bool { return f.Name == name })
	if i < 0 {
		return Format{}, false
	}
	return Table[i], true
}

// names lists the formats for which keep is true.
func names(keep func(Format) bool) []string {
	var out []string
	for _, f := range Table {
		if keep(f) {
			out = append(out, f.Name)
		}
	}
	return out
}

// ExportFormats are the formats NewExporter writes, in the order they are listed.
func ExportFormats() []string { return names(func(f Format) bool { return f.Export }) }

// SuggestionFormats are the export formats with a place for suggestions.
func SuggestionFormats() []string {
	return names(func(f Format) bool { return f.Export && f.Suggestions })
}

// RelationFormats are the export formats with a place for relations.
func RelationFormats() []string {
	return names(func(f Format) bool { return f.Export && f.Relations })
}

// AttributeFormats are the export formats with a place for attributes.
func AttributeFormats() []string {
	return names(func(f Format) bool { return f.Export && f.Attributes })
}

// ImportFormats are the annotation formats ReadRecords reads (besides "auto").
func ImportFormats() []string { return names(func(f Format) bool { return f.Import && !f.Article }) }

// ArticleFormats are the article formats ParseArticle reads.
func ArticleFormats() []string { return names(func(f Format) bool { return f.Article }) }

// UnitFormats are the export formats whose offsets can be written in unit.
func UnitFormats(unit OffsetUnit) []string {
	return names(func(f Format) bool { return f.Export && slices.Contains(f.Units, unit) })
}

// ImportExts are the file name endings the window offers to import: every
// importable format's.
func ImportExts() []string {
	var out []string
	for _, f := range Table {
		if f.Import {
			for _, e := range f.Exts {
				if !slices.Contains(out, e) {
					out = append(out, e)
				}
			}
		}
	}
	return out
}

// CanWrite reports whether format's offsets can be written in unit, and
// if not, why.
func (f Format) CanWrite(unit OffsetUnit) error {
	if unit == UnitDefault || slices.Contains(f.Units, unit) {
		return nil
	}
	why := f.Name + " has no character offsets"
	if len(f.Units) > 0 {
		why = fmt.Sprintf("%s counts offsets in %s only", f.Name, f.Units[0])
		if f.Name == "brat" {
			why = "brat's server counts code points, so its offsets stay code points"
		}
	}
	return fmt.Errorf("--offsets %s does not apply to %s: %s; leave --offsets out (%s is for %s)",
		unit, f.Name, why, unit, strings.Join(UnitFormats(unit), ", "))
}

// Own is the unit format f counts in by default, "" when it has none.
func (f Format) Own() OffsetUnit {
	if len(f.Units) == 0 {
		return UnitDefault
	}
	return f.Units[0]
}
