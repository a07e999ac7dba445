package bidi

// This file is Gloss's own glue between the vendored UAX #9 core (core.go,
// bracket.go, copied unchanged from golang.org/x/text v0.43.0) and the
// character data. No Unicode table is copied: the Bidi_Class and the
// Bidi_Paired_Bracket_Type come from x/text's exported LookupRune, and the
// Bidi_Paired_Bracket of a closing bracket (its opener) comes from
// go-text/typesetting's Bidi_Mirroring_Glyph table (unicodedata.
// LookupMirrorChar), which for every paired bracket equals its
// Bidi_Paired_Bracket (checked for all code points by TestBracketData).

import (
	"github.com/go-text/typesetting/unicodedata"
	xbidi "golang.org/x/text/unicode/bidi"
)

// Class is the Unicode Bidi_Class of a code point, as the vendored core
// expects it. The constants below are the class names of UAX #9 Table 4;
// they are exported only because the vendored code names them so.
type Class uint8

// The bidi classes, in the order of x/text's trieval.go.
const (
	L   Class = iota // Left-to-right
	R                // Right-to-left
	EN               // European number
	ES               // European separator
	ET               // European terminator
	AN               // Arabic number
	CS               // Common separator
	B                // Paragraph separator
	S                // Segment separator
	WS               // Whitespace
	ON               // Other neutral
	BN               // Boundary neutral
	NSM              // Nonspacing mark
	AL               // Arabic letter
	LRO              // Left-to-right override
	RLO              // Right-to-left override
	LRE              // Left-to-right embedding
	RLE              // Right-to-left embedding
	PDF              // Pop directional format
	LRI              // Left-to-right isolate
	RLI              // Right-to-left isolate
	FSI              // First strong isolate
	PDI              // Pop directional isolate

	unknownClass = ^Class(0)
)

// fromX maps x/text's classes to ours by name, so that the two enumerations
// need not agree numerically.
var fromX = [...]Class{
	xbidi.L: L, xbidi.R: R, xbidi.EN: EN, xbidi.ES: ES, xbidi.ET: ET,
	xbidi.AN: AN, xbidi.CS: CS, xbidi.B: B, xbidi.S: S, xbidi.WS: WS,
	xbidi.ON: ON, xbidi.BN: BN, xbidi.NSM: NSM, xbidi.AL: AL,
	xbidi.LRO: LRO, xbidi.RLO: RLO, xbidi.LRE: LRE, xbidi.RLE: RLE,
	xbidi.PDF: PDF, xbidi.LRI: LRI, xbidi.RLI: RLI, xbidi.FSI: FSI,
	xbidi.PDI: PDI,
	// xbidi.Control is never returned by Properties.Class (it resolves
	// the control to LRO..PDI); classOf maps it to ON should it appear.
}

// classOf returns the Bidi_Class of r. Invalid code points (surrogates,
// negative or above U+10FFFF) are looked up as U+FFFD, class ON.
func classOf(r rune) Class {
	p, _ := xbidi.LookupRune(r)
	c := p.Class()
	if c == xbidi.Control || int(c) >= len(fromX) {
		return ON
	}
	return fromX[c]
}

// bracketOf returns the Bidi_Paired_Bracket_Type of r and, for a bracket,
// the value that identifies its pair for BD16: the opening bracket of the
// pair after canonical decomposition (so U+2329 pairs with U+3009). A
// closing bracket thus gets its opener's value, which is what lets rule N0
// match it (x/text's own prepareInput stores the closer itself, so N0 never
// applies there).
func bracketOf(r rune) (bracketType, rune) {
	p, _ := xbidi.LookupRune(r)
	if !p.IsBracket() {
		return bpNone, 0
	}
	if p.IsOpeningBracket() {
		return bpOpen, canonicalBracket(r)
	}
	open, ok := unicodedata.LookupMirrorChar(r)
	if !ok {
		return bpNone, 0 // no known opener: an ordinary neutral
	}
	return bpClose, canonicalBracket(open)
}

// canonicalBracket returns the singleton canonical decomposition of r, or r
// (among brackets only U+2329 and U+232A have one: U+3008 and U+3009).
func canonicalBracket(r rune) rune {
	if a, b, ok := unicodedata.Decompose(r); ok && b == 0 {
		return a
	}
	return r
}

// classes fills the inputs of newParagraph for text.
func classes(text []rune) ([]Class, []bracketType, []rune) {
	types := make([]Class, len(text))
	pairTypes := make([]bracketType, len(text))
	pairValues := make([]rune, len(text))
	for i, r := range text {
		types[i] = classOf(r)
		if types[i] == ON {
			pairTypes[i], pairValues[i] = bracketOf(r)
		}
	}
	return types, pairTypes, pairValues
}
