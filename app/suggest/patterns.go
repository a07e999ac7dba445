package suggest

// Prodigy patterns JSONL, one pattern per line:
//
//	{"label": "ORG", "pattern": "european union"}                     phrase
//	{"label": "X", "pattern": [{"LOWER": "minister"}, {"IS_DIGIT": true, "OP": "+"}], "id": "m1"}
//
// The rules, and where they differ from Prodigy and spaCy:
//
//   - A phrase pattern is tokenized with app/tokens and matched on LOWER
//     (case-insensitive), as spaCy's PhraseMatcher(attr="LOWER") does:
//     "european union" finds "European Union". Prodigy's own default is
//     ORTH (like spaCy's); SetPhraseAttr("ORTH") gives that.
//   - A token pattern is spaCy's Matcher: every key of a token's object
//     must hold (an empty object matches any token); OP is 1 (the
//     default), ?, +, *, ! (one token the object does not match), {n},
//     {n,m}, {n,} or {,m}. Attributes: ORTH, TEXT, LOWER, NORM (lower case,
//     ’ as '), SHAPE, LENGTH, IS_ALPHA, IS_ASCII, IS_DIGIT, IS_LOWER,
//     IS_UPPER, IS_TITLE, IS_PUNCT, IS_SPACE, IS_BRACKET, IS_QUOTE,
//     IS_LEFT_PUNCT, IS_RIGHT_PUNCT, IS_CURRENCY, LIKE_NUM, IS_SENT_START
//     (SENT_START) and SPACY; names in any case. A string attribute takes a
//     string or {"IN": [...]}, {"NOT_IN": [...]}, {"REGEX": "..."} (Go's
//     RE2 syntax, searched anywhere in the value like Python's re.search;
//     \d is ASCII only) or {"FUZZY": ...} / {"FUZZY1".."FUZZY9": ...};
//     LENGTH takes a number, IN/NOT_IN or ==, !=, >=, <=, >, <. Attributes
//     that need a trained pipeline (LEMMA, POS, TAG, DEP, MORPH, ENT_*,
//     IS_STOP) and LIKE_URL/LIKE_EMAIL (the tokenizer splits those) are
//     refused by name.
//   - Tokens are Gloss's, not spaCy's: "don't", "5.5%", "$3bn" are one
//     token each, so a pattern written for spaCy's "n't" or a separate "%"
//     will not match.
//   - Every pattern reports every match; then, per label, spaCy's
//     greedy="LONGEST" filter keeps the longest (ties: the earliest) and
//     drops those overlapping a kept one of the same label. Matches of
//     different labels may overlap. A match is at most MaxMatchTokens long.
//   - A blank line is skipped; anything else that is wrong refuses the
//     whole file, naming file:line, the JSON path and the problem. Unknown
//     top-level keys are ignored; "id" may be a string or a number.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gloss/app/tokens"
)

// LineError is a refused line of a patterns file or word list.
type LineError struct {
	File string
	Line int
	Path string // JSON path inside the line ("$.pattern[1]"), or ""
	Msg  string
}

func (e *LineError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Path, e.Msg)
}

// Patterns is a parsed patterns file.
type Patterns struct {
	phrases    []phrasePattern
	toks       []*tokenPattern
	phraseAttr string
	trie       *trie
	// first indexes token patterns by the lower case their first token
	// must have; anywhere holds the rest.
	first    map[string][]int
	anywhere []int
	needs    attrMask
	labels   []string
	preds    []*pred          // distinct predicates; pred.id indexes this
	interned map[string]*pred // while parsing
}

type phrasePattern struct {
	label, id string
	words     []string // token texts as written
}

type tokenPattern struct {
	label, id string
	elems     []elem
	starts    []int // the elements a match can begin with
}

type opKind uint8

const (
	opOne opKind = iota
	opOpt
	opStar
)

type elem struct {
	preds []*pred // interned: patterns share their predicates' cached results
	op    opKind
	neg   bool // "!": one token the preds do not match
}

type attrID uint8

const (
	atORTH attrID = iota
	atLOWER
	atNORM
	atSHAPE
	atLENGTH
	atALPHA
	atASCII
	atDIGIT
	atISLOWER
	atISUPPER
	atTITLE
	atPUNCT
	atSPACE
	atBRACKET
	atQUOTE
	atLPUNCT
	atRPUNCT
	atCURRENCY
	atLIKENUM
	atSENTSTART
	atSPACY
)

type attrMask uint32

type attrKind uint8

const (
	kStr attrKind = iota
	kInt
	kBool
)

var attrs = map[string]struct {
	id   attrID
	kind attrKind
}{
	"ORTH": {atORTH, kStr}, "TEXT": {atORTH, kStr}, "LOWER": {atLOWER, kStr}, "NORM": {atNORM, kStr},
	"SHAPE": {atSHAPE, kStr}, "LENGTH": {atLENGTH, kInt},
	"IS_ALPHA": {atALPHA, kBool}, "IS_ASCII": {atASCII, kBool}, "IS_DIGIT": {atDIGIT, kBool},
	"IS_LOWER": {atISLOWER, kBool}, "IS_UPPER": {atISUPPER, kBool}, "IS_TITLE": {atTITLE, kBool},
	"IS_PUNCT": {atPUNCT, kBool}, "IS_SPACE": {atSPACE, kBool}, "IS_BRACKET": {atBRACKET, kBool},
	"IS_QUOTE": {atQUOTE, kBool}, "IS_LEFT_PUNCT": {atLPUNCT, kBool}, "IS_RIGHT_PUNCT": {atRPUNCT, kBool},
	"IS_CURRENCY": {atCURRENCY, kBool}, "LIKE_NUM": {atLIKENUM, kBool},
	"IS_SENT_START": {atSENTSTART, kBool}, "SENT_START": {atSENTSTART, kBool}, "SPACY": {atSPACY, kBool},
}

// unsupported names spaCy attributes Gloss cannot compute, and why.
var unsupported = map[string]string{
	"LEMMA": "it needs a spaCy pipeline (lemmatizer)", "POS": "it needs a spaCy pipeline (tagger)",
	"TAG": "it needs a spaCy pipeline (tagger)", "MORPH": "it needs a spaCy pipeline (morphologizer)",
	"DEP": "it needs a spaCy pipeline (parser)", "HEAD": "it needs a spaCy pipeline (parser)",
	"ENT_TYPE": "it needs a spaCy pipeline (NER)", "ENT_IOB": "it needs a spaCy pipeline (NER)",
	"ENT_ID": "it needs a spaCy pipeline (NER)", "ENT_KB_ID": "it needs a spaCy pipeline (NER)",
	"IS_STOP": "it needs spaCy's stop word list", "LIKE_URL": "Gloss's tokenizer splits URLs",
	"LIKE_EMAIL": "Gloss's tokenizer splits e-mail addresses", "_": "custom extension attributes need spaCy",
}

type predKind uint8

const (
	pEq predKind = iota
	pIn
	pNotIn
	pRegex
	pFuzzy
	pIntCmp
	pBool
)

type pred struct {
	id    int
	attr  attrID
	kind  predKind
	str   string
	set   map[string]bool
	re    *regexp.Regexp
	fuzzy []string // FUZZY values
	edits int      // FUZZYn: n; FUZZY: -1
	cmp   string   // for pIntCmp: == != >= <= > <
	num   int
	bool  bool
}

// ParsePatterns reads a Prodigy patterns JSONL file. name is used in
// errors only ("patterns.jsonl:3: $.pattern[1]: unknown attribute \"FOO\"").
func ParsePatterns(name string, r io.Reader) (*Patterns, error) {
	p := &Patterns{phraseAttr: "LOWER", first: map[string][]int{}, interned: map[string]*pred{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	seen := map[string]bool{}
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\ufeff"))
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		lp := &lineParser{file: name, line: n}
		label, err := p.parseLine(lp, line)
		if err != nil {
			return nil, err
		}
		if !seen[label] {
			seen[label] = true
			p.labels = append(p.labels, label)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	slices.Sort(p.labels)
	p.interned = nil
	p.index()
	return p, nil
}

// intern returns the one copy of an identical predicate, so that a
// predicate several patterns share is evaluated once per token.
func (p *Patterns) intern(pr pred) *pred {
	key := fmt.Sprintf("%d/%d/%q/%v/%d/%q/%d/%v", pr.attr, pr.kind, pr.str, sortedKeys(pr.set), pr.edits, pr.fuzzy, pr.num, pr.bool) + pr.cmp
	if pr.re != nil {
		key += "/" + pr.re.String()
	}
	if q := p.interned[key]; q != nil {
		return q
	}
	q := &pr
	q.id = len(p.preds)
	p.preds = append(p.preds, q)
	p.interned[key] = q
	return q
}

type lineParser struct {
	file string
	line int
}

func (lp *lineParser) errf(path, format string, a ...any) error {
	return &LineError{File: lp.file, Line: lp.line, Path: path, Msg: fmt.Sprintf(format, a...)}
}

func (p *Patterns) parseLine(lp *lineParser, line []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", lp.errf("", "not valid JSON: %v", jsonMsg(err))
	}
	if dec.More() {
		return "", lp.errf("", "more than one JSON value on the line")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return "", lp.errf("$", "want an object with \"label\" and \"pattern\", found %s", typeName(v))
	}
	label, ok := obj["label"].(string)
	switch {
	case obj["label"] == nil:
		return "", lp.errf("$", "no \"label\"")
	case !ok:
		return "", lp.errf("$.label", "want a string, found %s", typeName(obj["label"]))
	case strings.TrimSpace(label) == "":
		return "", lp.errf("$.label", "empty label")
	}
	var id string
	switch x := obj["id"].(type) {
	case nil:
	case string:
		id = x
	case json.Number:
		id = x.String()
	default:
		return "", lp.errf("$.id", "want a string or a number, found %s", typeName(x))
	}
	switch pat := obj["pattern"].(type) {
	case nil:
		return "", lp.errf("$", "no \"pattern\"")
	case string:
		var words []string
		for _, t := range tokens.Tokenize(pat) {
			words = append(words, t.Text)
		}
		if len(words) == 0 {
			return "", lp.errf("$.pattern", "empty phrase")
		}
		if len(words) > MaxMatchTokens {
			return "", lp.errf("$.pattern", "phrase of %d tokens is longer than %d", len(words), MaxMatchTokens)
		}
		p.phrases = append(p.phrases, phrasePattern{label: label, id: id, words: words})
	case []any:
		if len(pat) == 0 {
			return "", lp.errf("$.pattern", "empty token pattern")
		}
		tp := &tokenPattern{label: label, id: id}
		for i, x := range pat {
			path := fmt.Sprintf("$.pattern[%d]", i)
			spec, ok := x.(map[string]any)
			if !ok {
				return "", lp.errf(path, "want an object, found %s", typeName(x))
			}
			els, err := p.parseElem(lp, path, spec)
			if err != nil {
				return "", err
			}
			tp.elems = append(tp.elems, els...)
			if len(tp.elems) > MaxMatchTokens {
				return "", lp.errf(path, "the pattern is longer than %d tokens", MaxMatchTokens)
			}
		}
		start := make([]bool, len(tp.elems)+1)
		start[0] = true
		closure(tp.elems, start)
		for j := range tp.elems {
			if start[j] {
				tp.starts = append(tp.starts, j)
			}
		}
		p.toks = append(p.toks, tp)
	default:
		return "", lp.errf("$.pattern", "want a string (phrase) or an array (tokens), found %s", typeName(pat))
	}
	return label, nil
}

// parseElem parses one token's object and expands its OP into elems:
// + is one then *, {n,m} is n ones then m-n optionals, as spaCy does.
func (p *Patterns) parseElem(lp *lineParser, path string, spec map[string]any) ([]elem, error) {
	var e elem
	minN, maxN := 1, 1 // maxN -1: unbounded
	for _, key := range sortedKeys(spec) {
		val := spec[key]
		kpath := path + "." + key
		up := strings.ToUpper(key)
		if up == "OP" {
			op, ok := val.(string)
			if !ok {
				return nil, lp.errf(kpath, "want a string, found %s", typeName(val))
			}
			var err error
			if minN, maxN, e.neg, err = parseOp(op); err != nil {
				return nil, lp.errf(kpath, "%v", err)
			}
			continue
		}
		a, ok := attrs[up]
		if !ok {
			if why, known := unsupported[up]; known {
				return nil, lp.errf(path, "attribute %q is not supported: %s", key, why)
			}
			return nil, lp.errf(path, "unknown attribute %q", key)
		}
		p.needs |= 1 << a.id
		preds, err := parseValue(lp, kpath, a.id, a.kind, val)
		if err != nil {
			return nil, err
		}
		for _, pr := range preds {
			e.preds = append(e.preds, p.intern(pr))
		}
	}
	if maxN > MaxMatchTokens || minN > MaxMatchTokens {
		return nil, lp.errf(path+".OP", "more than %d repetitions", MaxMatchTokens)
	}
	var out []elem
	for range minN {
		out = append(out, elem{preds: e.preds, op: opOne, neg: e.neg})
	}
	if maxN < 0 {
		out = append(out, elem{preds: e.preds, op: opStar})
	} else {
		for range maxN - minN {
			out = append(out, elem{preds: e.preds, op: opOpt})
		}
	}
	return out, nil
}

var curlyOp = regexp.MustCompile(`^\{(\d*)(,?)(\d*)\}$`)

// parseOp returns the bounds of an OP (max -1: unbounded) and whether it
// negates ("!").
func parseOp(op string) (minN, maxN int, neg bool, err error) {
	switch op {
	case "1":
		return 1, 1, false, nil
	case "!":
		return 1, 1, true, nil
	case "?":
		return 0, 1, false, nil
	case "+":
		return 1, -1, false, nil
	case "*":
		return 0, -1, false, nil
	}
	m := curlyOp.FindStringSubmatch(op)
	if m == nil || m[1] == "" && m[3] == "" {
		return 0, 0, false, fmt.Errorf("unknown operator %q (want !, ?, +, *, 1, {n}, {n,m}, {n,} or {,m})", op)
	}
	minN, _ = strconv.Atoi(m[1])
	switch {
	case m[2] == "": // {n}
		maxN = minN
	case m[3] == "": // {n,}
		maxN = -1
	default:
		maxN, _ = strconv.Atoi(m[3])
		if maxN < minN {
			return 0, 0, false, fmt.Errorf("operator %q: the maximum is below the minimum", op)
		}
	}
	if maxN == 0 {
		return 0, 0, false, fmt.Errorf("operator %q matches no token", op)
	}
	return minN, maxN, false, nil
}

func parseValue(lp *lineParser, path string, id attrID, kind attrKind, val any) ([]pred, error) {
	switch kind {
	case kBool:
		b, ok := val.(bool)
		if !ok {
			return nil, lp.errf(path, "want true or false, found %s", typeName(val))
		}
		return []pred{{attr: id, kind: pBool, bool: b}}, nil
	case kInt:
		if n, ok := val.(json.Number); ok {
			i, err := jsonInt(n)
			if err != nil {
				return nil, lp.errf(path, "%v", err)
			}
			return []pred{{attr: id, kind: pIntCmp, cmp: "==", num: i}}, nil
		}
	case kStr:
		if s, ok := val.(string); ok {
			return []pred{{attr: id, kind: pEq, str: s}}, nil
		}
	}
	obj, ok := val.(map[string]any)
	if !ok {
		want := "a string"
		if kind == kInt {
			want = "a number"
		}
		return nil, lp.errf(path, "want %s or an object of operators, found %s", want, typeName(val))
	}
	if len(obj) == 0 {
		return nil, lp.errf(path, "empty object of operators")
	}
	var out []pred
	for _, key := range sortedKeys(obj) {
		x := obj[key]
		kpath := path + "." + key
		up := strings.ToUpper(key)
		switch {
		case up == "IN" || up == "NOT_IN":
			set, err := parseSet(lp, kpath, kind, x)
			if err != nil {
				return nil, err
			}
			k := pIn
			if up == "NOT_IN" {
				k = pNotIn
			}
			out = append(out, pred{attr: id, kind: k, set: set})
		case up == "REGEX" && kind == kStr:
			s, ok := x.(string)
			if !ok {
				return nil, lp.errf(kpath, "want a string, found %s", typeName(x))
			}
			re, err := regexp.Compile(s)
			if err != nil {
				return nil, lp.errf(kpath, "%v", err)
			}
			out = append(out, pred{attr: id, kind: pRegex, re: re})
		case strings.HasPrefix(up, "FUZZY") && kind == kStr:
			edits := -1
			if rest := up[len("FUZZY"):]; rest != "" {
				if len(rest) != 1 || rest[0] < '1' || rest[0] > '9' {
					return nil, lp.errf(path, "unknown operator %q", key)
				}
				edits = int(rest[0] - '0')
			}
			var vals []string
			switch v := x.(type) {
			case string:
				vals = []string{v}
			case map[string]any:
				in, ok := v["IN"].([]any)
				if len(v) != 1 || !ok {
					return nil, lp.errf(kpath, "want a string or {\"IN\": [...]}")
				}
				for i, s := range in {
					str, ok := s.(string)
					if !ok {
						return nil, lp.errf(fmt.Sprintf("%s.IN[%d]", kpath, i), "want a string, found %s", typeName(s))
					}
					vals = append(vals, str)
				}
			default:
				return nil, lp.errf(kpath, "want a string or {\"IN\": [...]}, found %s", typeName(x))
			}
			out = append(out, pred{attr: id, kind: pFuzzy, fuzzy: vals, edits: edits})
		case kind == kInt && (up == "==" || up == "!=" || up == ">=" || up == "<=" || up == ">" || up == "<"):
			n, ok := x.(json.Number)
			if !ok {
				return nil, lp.errf(kpath, "want a number, found %s", typeName(x))
			}
			i, err := jsonInt(n)
			if err != nil {
				return nil, lp.errf(kpath, "%v", err)
			}
			out = append(out, pred{attr: id, kind: pIntCmp, cmp: up, num: i})
		case up == "IS_SUBSET" || up == "IS_SUPERSET" || up == "INTERSECTS":
			return nil, lp.errf(path, "operator %q is for MORPH, which Gloss does not have", key)
		default:
			return nil, lp.errf(path, "unknown operator %q", key)
		}
	}
	return out, nil
}

func parseSet(lp *lineParser, path string, kind attrKind, x any) (map[string]bool, error) {
	arr, ok := x.([]any)
	if !ok {
		return nil, lp.errf(path, "want an array, found %s", typeName(x))
	}
	set := map[string]bool{}
	for i, v := range arr {
		ipath := fmt.Sprintf("%s[%d]", path, i)
		switch kind {
		case kStr:
			s, ok := v.(string)
			if !ok {
				return nil, lp.errf(ipath, "want a string, found %s", typeName(v))
			}
			set[s] = true
		default:
			n, ok := v.(json.Number)
			if !ok {
				return nil, lp.errf(ipath, "want a number, found %s", typeName(v))
			}
			i, err := jsonInt(n)
			if err != nil {
				return nil, lp.errf(ipath, "%v", err)
			}
			set[strconv.Itoa(i)] = true
		}
	}
	return set, nil
}

func jsonInt(n json.Number) (int, error) {
	i, err := strconv.Atoi(n.String())
	if err != nil {
		return 0, fmt.Errorf("want a whole number, found %s", n)
	}
	return i, nil
}

func jsonMsg(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	}
	return err.Error()
}

func typeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return "number " + x.String()
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// SetPhraseAttr sets what phrase patterns match on: "LOWER" (the default,
// case-insensitive) or "ORTH" (exact, Prodigy's default).
func (p *Patterns) SetPhraseAttr(attr string) error {
	switch strings.ToUpper(attr) {
	case "LOWER":
		p.phraseAttr = "LOWER"
	case "ORTH", "TEXT":
		p.phraseAttr = "ORTH"
	default:
		return fmt.Errorf("phrase attribute %q: want LOWER or ORTH", attr)
	}
	p.index()
	return nil
}

// Len returns the number of patterns.
func (p *Patterns) Len() int { return len(p.phrases) + len(p.toks) }

// Labels returns the labels the patterns propose, sorted.
func (p *Patterns) Labels() []string { return slices.Clone(p.labels) }

func (p *Patterns) index() {
	p.trie = newTrie()
	for _, ph := range p.phrases {
		keys := slices.Clone(ph.words)
		if p.phraseAttr == "LOWER" {
			for i := range keys {
				keys[i] = lower(keys[i])
			}
		}
		p.trie.add(keys, hit{label: ph.label, rule: ph.id, score: 1})
	}
	p.first, p.anywhere = map[string][]int{}, nil
	for i, tp := range p.toks {
		keys := firstKeys(tp.elems[0])
		if keys == nil {
			p.anywhere = append(p.anywhere, i)
		}
		for _, k := range keys {
			p.first[k] = append(p.first[k], i)
		}
	}
}

// firstKeys returns the lower-cased values one of which a token must have
// to start a match of e, or nil when e could match anything.
func firstKeys(e elem) []string {
	if e.op != opOne || e.neg {
		return nil
	}
	for _, pr := range e.preds {
		if pr.attr != atORTH && pr.attr != atLOWER {
			continue
		}
		switch pr.kind {
		case pEq:
			return []string{lower(pr.str)}
		case pIn:
			var ks []string
			for _, k := range sortedKeys(pr.set) {
				ks = append(ks, lower(k))
			}
			if ks == nil {
				ks = []string{}
			}
			return ks
		}
	}
	return nil
}

// Match implements Suggester.
func (p *Patterns) Match(text string, toks []tokens.Token) []Suggestion {
	ctx := newTokCtx(text, toks, p.needs, len(p.preds))
	var out []Suggestion
	if p.phraseAttr == "LOWER" {
		out = p.trie.match(toks, ctx.lower, SourcePattern, out)
	} else {
		orth := make([]string, len(toks))
		for i, t := range toks {
			orth[i] = t.Text
		}
		out = p.trie.match(toks, orth, SourcePattern, out)
	}
	if len(p.toks) > 0 {
		nfa := &nfaScratch{}
		for i := range toks {
			cands := p.first[ctx.lower[i]]
			for _, c := range mergeSorted(cands, p.anywhere, &nfa.cands) {
				tp := p.toks[c]
				if !slices.ContainsFunc(tp.starts, func(j int) bool { return ctx.matches(&tp.elems[j], i) }) {
					continue // the common case, without starting the NFA
				}
				for _, end := range nfa.run(tp.elems, ctx, i) {
					out = append(out, Suggestion{Start: toks[i].Start, End: toks[end-1].End,
						Label: tp.label, Score: 1, Source: SourcePattern, Rule: tp.id})
				}
			}
		}
	}
	return longest(dedupe(out))
}

// dedupe keeps the first of several matches with the same extent and
// label (so the earlier pattern names the rule).
func dedupe(ms []Suggestion) []Suggestion {
	type key struct {
		s, e  int
		label string
	}
	seen := make(map[key]bool, len(ms))
	out := ms[:0]
	for _, m := range ms {
		k := key{m.Start, m.End, m.Label}
		if !seen[k] {
			seen[k] = true
			out = append(out, m)
		}
	}
	return out
}

// mergeSorted merges two ascending index lists into buf.
func mergeSorted(a, b []int, buf *[]int) []int {
	if len(a) == 0 {
		return b
	}
	if len(b) == 0 {
		return a
	}
	out := (*buf)[:0]
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j == len(b) || i < len(a) && a[i] < b[j] {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	*buf = out
	return out
}

// tokCtx holds the attributes of one document's tokens that the
// patterns need, computed once per Match.
type tokCtx struct {
	toks      []tokens.Token
	lower     []string
	shape     []string // filled on first use
	sentStart []bool
	// known[pred.id][token]: 0 not yet evaluated, 1 holds, 2 does not.
	known [][]uint8
	// byValue[pred.id]: REGEX and FUZZY results per attribute value,
	// since a long text repeats its words.
	byValue []map[string]bool
}

func newTokCtx(text string, toks []tokens.Token, needs attrMask, preds int) *tokCtx {
	c := &tokCtx{toks: toks, lower: tokenKeys(toks), known: make([][]uint8, preds), byValue: make([]map[string]bool, preds)}
	if needs&(1<<atSHAPE) != 0 {
		c.shape = make([]string, len(toks))
	}
	if needs&(1<<atSENTSTART) != 0 {
		c.sentStart = make([]bool, len(toks))
		for _, s := range tokens.Sentences(text, toks) {
			c.sentStart[s[0]] = true
		}
	}
	return c
}

func (c *tokCtx) str(a attrID, i int) string {
	switch a {
	case atLOWER:
		return c.lower[i]
	case atNORM:
		return norm(c.toks[i].Text)
	case atSHAPE:
		if c.shape[i] == "" {
			c.shape[i] = shape(c.toks[i].Text)
		}
		return c.shape[i]
	}
	return c.toks[i].Text
}

func (c *tokCtx) flag(a attrID, i int) bool {
	t := c.toks[i].Text
	switch a {
	case atALPHA:
		return isAlpha(t)
	case atASCII:
		return isASCII(t)
	case atDIGIT:
		return isDigitStr(t)
	case atISLOWER:
		return isLower(t)
	case atISUPPER:
		return isUpper(t)
	case atTITLE:
		return isTitle(t)
	case atPUNCT:
		return isPunct(t)
	case atSPACE:
		return false // whitespace is never a token
	case atBRACKET:
		return brackets[t]
	case atQUOTE:
		return quotes[t]
	case atLPUNCT:
		return leftPunct[t]
	case atRPUNCT:
		return rightPunct[t]
	case atCURRENCY:
		return isCurrency(t)
	case atLIKENUM:
		return likeNum(t)
	case atSENTSTART:
		return c.sentStart[i]
	case atSPACY:
		return c.toks[i].WS
	}
	return false
}

func (c *tokCtx) holds(pr *pred, i int) bool {
	k := c.known[pr.id]
	if k == nil {
		k = make([]uint8, len(c.toks))
		c.known[pr.id] = k
	}
	if k[i] != 0 {
		return k[i] == 1
	}
	ok := c.eval(pr, i)
	k[i] = 2
	if ok {
		k[i] = 1
	}
	return ok
}

func (c *tokCtx) eval(pr *pred, i int) bool {
	switch pr.kind {
	case pBool:
		return c.flag(pr.attr, i) == pr.bool
	case pIntCmp, pIn, pNotIn:
		var v string
		var n int
		if pr.attr == atLENGTH {
			n = len([]rune(c.toks[i].Text))
			if pr.kind == pIntCmp {
				return intCmp(n, pr.cmp, pr.num)
			}
			v = strconv.Itoa(n)
		} else {
			v = c.str(pr.attr, i)
		}
		return pr.set[v] == (pr.kind == pIn)
	case pEq:
		return c.str(pr.attr, i) == pr.str
	case pRegex, pFuzzy:
		v := c.str(pr.attr, i)
		m := c.byValue[pr.id]
		if m == nil {
			m = map[string]bool{}
			c.byValue[pr.id] = m
		}
		ok, seen := m[v]
		if !seen {
			ok = pr.kind == pRegex && pr.re.MatchString(v) ||
				pr.kind == pFuzzy && slices.ContainsFunc(pr.fuzzy, func(f string) bool { return fuzzyMatch(v, f, pr.edits) })
			m[v] = ok
		}
		return ok
	}
	return false
}

func intCmp(a int, op string, b int) bool {
	switch op {
	case "==":
		return a == b
	case "!=":
		return a != b
	case ">=":
		return a >= b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case "<":
		return a < b
	}
	return false
}

// fuzzyMatch is spaCy's levenshtein_compare: at most edits edits, or
// without a number max(2, round(0.3 × the pattern's length)).
func fuzzyMatch(input, pattern string, edits int) bool {
	a, b := []rune(input), []rune(pattern)
	if edits < 0 {
		edits = max(2, int(math.RoundToEven(0.3*float64(len(b)))))
	}
	if d := len(a) - len(b); d > edits || -d > edits {
		return false
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c = 1 + min(prev[j-1], prev[j], cur[j-1])
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)] <= edits
}

func (c *tokCtx) matches(e *elem, i int) bool {
	ok := true
	for k := range e.preds {
		if !c.holds(e.preds[k], i) {
			ok = false
			break
		}
	}
	return ok != e.neg
}

// nfaScratch runs a token pattern as an NFA over the tokens from one
// start, keeping its state sets between calls.
type nfaScratch struct {
	cur, next []bool
	ends      []int
	cands     []int
}

// run returns the ends (token index, exclusive) of every match of elems
// starting at token i.
func (s *nfaScratch) run(elems []elem, c *tokCtx, i int) []int {
	n := len(elems)
	s.cur = resize(s.cur, n+1)
	s.next = resize(s.next, n+1)
	s.ends = s.ends[:0]
	s.cur[0] = true
	closure(elems, s.cur)
	for t := i; t < len(c.toks) && t-i < MaxMatchTokens; t++ {
		clear(s.next)
		live := false
		for j := range n {
			if !s.cur[j] || !c.matches(&elems[j], t) {
				continue
			}
			if elems[j].op == opStar {
				s.next[j] = true
			} else {
				s.next[j+1] = true
			}
			live = true
		}
		if !live {
			break
		}
		closure(elems, s.next)
		if s.next[n] {
			s.ends = append(s.ends, t+1)
		}
		s.cur, s.next = s.next, s.cur
	}
	return s.ends
}

// closure adds the states reachable by skipping optional elements.
func closure(elems []elem, set []bool) {
	for j := range elems {
		if set[j] && elems[j].op != opOne {
			set[j+1] = true
		}
	}
}

func resize(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// trie matches token sequences (phrases, word-list entries, dictionary
// texts) by their keys.
type trie struct {
	root *trieNode
	size int
}

type trieNode struct {
	next map[string]*trieNode
	hits []hit
}

type hit struct {
	label, rule string
	score       float64
}

func newTrie() *trie { return &trie{root: &trieNode{}} }

func (t *trie) add(keys []string, h hit) {
	n := t.root
	for _, k := range keys {
		if n.next == nil {
			n.next = map[string]*trieNode{}
		}
		c := n.next[k]
		if c == nil {
			c = &trieNode{}
			n.next[k] = c
		}
		n = c
	}
	if !slices.ContainsFunc(n.hits, func(x hit) bool { return x.label == h.label }) {
		n.hits = append(n.hits, h)
		t.size++
	}
}

// match appends every match of every entry at every token.
func (t *trie) match(toks []tokens.Token, keys []string, source string, out []Suggestion) []Suggestion {
	if t.size == 0 {
		return out
	}
	for i := range keys {
		n := t.root
		for j := i; j < len(keys) && j-i < MaxMatchTokens; j++ {
			n = n.next[keys[j]]
			if n == nil {
				break
			}
			for _, h := range n.hits {
				out = append(out, Suggestion{Start: toks[i].Start, End: toks[j].End, Label: h.label,
					Score: h.score, Source: source, Rule: h.rule})
			}
		}
	}
	return out
}
