// Package assets holds the files Gloss ships inside its binary: the sample
// articles, the default label schema and the application icon. It depends on
// nothing but the standard library (no Fyne, no app packages).
package assets

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
)

//go:embed samples/*.txt samples/*.html samples/*.md
var samples embed.FS

//go:embed labels.json
var labelsJSON []byte

// IconPNG is the 256×256 application icon (drawn by gen_icon.go).
//
//go:embed icon.png
var IconPNG []byte

// Sample is one embedded sample article: its file name (which decides its
// format) and its bytes.
type Sample struct {
	Name string
	Data []byte
}

// sampleOrder is the order samples are listed and imported in.
var sampleOrder = []string{
	"harbour-housing.txt",
	"festival-report.html",
	"multilingual-desk.md",
	"energy-briefing.txt",
	"parliament-record.txt",
}

// Samples returns the sample articles in a fixed order. Each call returns
// fresh slices that the caller may modify.
func Samples() []Sample {
	out := make([]Sample, 0, len(sampleOrder))
	for _, name := range sampleOrder {
		data, err := samples.ReadFile(path.Join("samples", name))
		if err != nil {
			panic(fmt.Sprintf("assets: sample %s missing: %v", name, err))
		}
		out = append(out, Sample{Name: name, Data: data})
	}
	return out
}

// LabelDef is one label of a schema: its name, the keyboard shortcut that
// applies it and its colour as "#RRGGBB".
type LabelDef struct {
	Name  string `json:"name"`
	Key   string `json:"key"`
	Color string `json:"color"`
}

// DefaultLabels returns the default label schema from labels.json: Claim,
// Figure and Proposal, in that order.
func DefaultLabels() []LabelDef {
	var out []LabelDef
	if err := json.Unmarshal(labelsJSON, &out); err != nil {
		panic(fmt.Sprintf("assets: labels.json: %v", err))
	}
	return out
}

//go:embed relations.json
var relationsJSON []byte

// RelationDef is a relation type of the sample schema: its name, key,
// colour, whether it is directed and the (from, to) label names it links
// (none: any).
type RelationDef struct {
	Name     string      `json:"name"`
	Key      string      `json:"key"`
	Color    string      `json:"color"`
	Directed bool        `json:"directed"`
	Args     [][2]string `json:"args"`
}

// AttributeDef is an attribute of the sample schema: its name, kind
// ("choice", "flag", "number", "text"), choices and the label names it is
// on (none: every span).
type AttributeDef struct {
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Choices []string `json:"choices"`
	On      []string `json:"on"`
}

// SampleSchema returns the relation types and attributes from
// relations.json that a new database with the samples starts with:
// supports, responds to, same as; Certainty on claims, Disputed on figures.
func SampleSchema() ([]RelationDef, []AttributeDef) {
	var s struct {
		Relations  []RelationDef  `json:"relations"`
		Attributes []AttributeDef `json:"attributes"`
	}
	if err := json.Unmarshal(relationsJSON, &s); err != nil {
		panic(fmt.Sprintf("assets: relations.json: %v", err))
	}
	return s.Relations, s.Attributes
}
