package formats

import (
	"io"
	"slices"
	"strings"
	"testing"
)

// Every row of the table is backed by code: an exporter for each export
// format, a reader for each import format, and the lists made from it
// agree with the rows.
func TestTableIsTheTruth(t *testing.T) {
	for _, f := range Table {
		if f.Export {
			if _, err := NewExporter(f.Name, io.Discard, &memFiles{}, Options{}); err != nil {
				t.Errorf("%s: in the table as exportable, but %v", f.Name, err)
			}
			for _, u := range []OffsetUnit{UnitCodePoints, UnitUTF16} {
				_, err := NewExporter(f.Name, io.Discard, &memFiles{}, Options{Offsets: u})
				if (err == nil) != slices.Contains(f.Units, u) {
					t.Errorf("%s with %s offsets: err = %v, table units %v", f.Name, u, err, f.Units)
				}
			}
		} else if _, err := NewExporter(f.Name, io.Discard, &memFiles{}, Options{}); err == nil {
			t.Errorf("%s: exports, but the table says it does not", f.Name)
		}
		if f.Import && !f.Article {
			_, err := ReadRecords("x", strings.NewReader(""), f.Name, func(Doc) error { return nil })
			if err != nil && strings.Contains(err.Error(), "unknown format") {
				t.Errorf("%s: in the table as importable, but %v", f.Name, err)
			}
		}
		if len(f.Exts) == 0 && !f.Folder {
			t.Errorf("%s: no file extension", f.Name)
		}
	}
	// Every export format comes back (issue 13: hf and csv were export only).
	for _, f := range Table {
		if f.Export && !f.Import {
			t.Errorf("%s exports but does not import", f.Name)
		}
	}
	if !slices.Contains(ImportExts(), ".ann") || !slices.Contains(ImportExts(), ".html") || !slices.Contains(ImportExts(), ".csv") {
		t.Errorf("import extensions %v", ImportExts())
	}
}

func TestOneSpellingOfOffsetUnits(t *testing.T) {
	for in, want := range map[string]OffsetUnit{"": UnitDefault, "codepoints": UnitCodePoints, "codepoint": UnitCodePoints, "UTF16": UnitUTF16, "utf-16": UnitUTF16} {
		got, err := ParseOffsetUnit(in)
		if err != nil || got != want {
			t.Errorf("ParseOffsetUnit(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseOffsetUnit("bytes"); err == nil || !strings.Contains(err.Error(), "codepoints") {
		t.Errorf("bytes: %v", err)
	}
}
