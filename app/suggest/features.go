package suggest

// The tagger's features. Every token gets the same features whatever the
// label; each label's tagger weighs them differently. A feature is a
// 64-bit FNV-1a hash of its name and value, so extraction allocates
// nothing per feature and the model stores no strings.
//
// Local features (the token and its neighbours): the word, its lower case,
// spaCy shape and a collapsed shape, prefixes and suffixes of 1–3
// characters, digit / like-number / ordinal / fraction / year / month /
// currency flags, number and unit words ("million", "per cent", "km"),
// the lower case and shape of the words ±1 and ±2 with their number flags,
// bigrams, glued punctuation, numbers joined by "and"/"to", first and last
// token of the sentence and the relative position in fifths.
//
// Sentence (clause) features: inside or outside quotation marks (“ ” " ‘
// ’, depth carried from sentence to sentence within a line, since the
// second sentence of a quotation opens with no mark: +3 points of Claim
// F1), the reporting verbs the sentence holds (said, told, warned,
// proposed, plans, called for, wants, would, will, should, …) and on which
// side of the first the token is, the nearest reporting verb before and
// after with its distance and the two words after it ("said that", "said
// it would"), the nearest punctuation before and after with its distance,
// and the last intent word ("to", "plans", "would", …) before the token.
//
// A label whose spans average three tokens or fewer (Figure) reads only
// the local features: the sentence ones cost such labels 1.5 points.

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"gloss/app/tokens"
)

// reportingVerbs mark attributed speech (Claim) and intent (Proposal).
// A sentence containing one gets "rv=<word>" on every token, and tokens
// are told whether they come before or after the first.
var reportingVerbs = set("said says say saying told tells argued argues claimed claims warned warns " +
	"proposed proposes propose plans plan planned wants want wanted would will should " +
	"added adds insisted insists noted notes stated states believes believe found finds showed shows " +
	"estimated estimates according urged urges recommended recommends promised promises pledged " +
	"intends intend announced announces expects expected predicted predicts admitted denied " +
	"suggested suggests called calls demanded demands asked wrote reported reports concluded")

// intentWords often come right before a Proposal's first word.
var intentWords = set("to plans plan proposal proposals proposed proposes propose wants want would will " +
	"should for urged urges called calls pledged promised intends intend aims aim seeks seek " +
	"vowed recommended recommends scheme bill measure")

// figureWords are number and unit words that a Figure holds around its
// numeral.
var figureWords = set("per cent percent percentage points point % ‰ million millions billion billions " +
	"trillion thousand thousands hundred bn m k half third thirds quarter quarters fifth fifths " +
	"tonnes tons km kilometres kilometers miles metres meters square cubic hectometres litres liters " +
	"kg kilograms grams hectares acres mw gw kw kwh twh mbps gbps mph km/h " +
	"years year months month weeks week days day hours hour minutes decades decade times " +
	"euros dollars pounds francs shillings crowns")

// fractions count as numbers when a Figure is "a third" or "half".
var fractions = set("half third thirds quarter quarters fifth fifths sixth tenth two-thirds three-quarters")

var currencyCodes = set("eur usd gbp chf jpy sek nok dkk pln czk huf cad aud")

var monthNames = set("january february march april may june july august september october " +
	"november december jan feb mar apr jun jul aug sep sept oct nov dec")

// opening and closing quotes; " and ' toggle.
func quoteKind(t string) int {
	switch t {
	case "“", "‘", "«", "„", "‹":
		return 1
	case "”", "’", "»", "›":
		return -1
	case "\"", "'":
		return 2
	}
	return 0
}

const fnvOffset, fnvPrime = 14695981039346656037, 1099511628211

// fh hashes a feature name and value.
func fh(name, val string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(name); i++ {
		h = (h ^ uint64(name[i])) * fnvPrime
	}
	h = (h ^ 0xff) * fnvPrime // separator no name holds
	for i := 0; i < len(val); i++ {
		h = (h ^ uint64(val[i])) * fnvPrime
	}
	return h
}

// tokInfo is what the features of one token draw on.
type tokInfo struct {
	lower, shape, short string
	digit, num, fig     bool
	ordinal, frac, code bool
}

// shortShape collapses runs: "Xxxxx" → "Xx", "ddd,ddd" → "d,d".
func shortShape(s string) string {
	var b strings.Builder
	var last rune = -1
	for _, r := range s {
		if r != last {
			b.WriteRune(r)
			last = r
		}
	}
	return b.String()
}

func infoOf(t string) tokInfo {
	l := lower(t)
	sh := shape(t)
	ti := tokInfo{lower: l, shape: sh, short: shortShape(sh)}
	for _, r := range t {
		if unicode.IsDigit(r) {
			ti.digit = true
			break
		}
	}
	ti.ordinal = ordinalWord[l] || ti.digit && (strings.HasSuffix(l, "st") || strings.HasSuffix(l, "nd") ||
		strings.HasSuffix(l, "rd") || strings.HasSuffix(l, "th"))
	ti.num = (likeNum(t) || ti.digit) && !ti.ordinal
	ti.fig = figureWords[l]
	ti.frac = fractions[l]
	// Currency codes and prefixes: "CZK", "KSh", "NZ" before an amount.
	ti.code = currencyCodes[l] || len(t) >= 2 && len(t) <= 3 && isAlpha(t) && unicode.IsUpper(firstRuneOf(t))
	return ti
}

// featureDoc is a document's tokens cut into sequences (its lines), with
// each token's feature hashes: first the token's own and its neighbours'
// (local), then those of the sentence around it (clause).
type featureDoc struct {
	seqs   [][2]int   // token ranges, one per line
	feat   [][]uint64 // per token
	nLocal []int      // per token: how many of feat are local
}

// extract computes every token's features. It is the one place features
// are defined, for training and prediction alike.
func extract(text string, toks []tokens.Token) *featureDoc {
	n := len(toks)
	fd := &featureDoc{feat: make([][]uint64, n), nLocal: make([]int, n)}
	if n == 0 {
		return fd
	}
	info := make([]tokInfo, n)
	for i, t := range toks {
		info[i] = infoOf(t.Text)
	}
	rs := []rune(text)
	// Lines: spans never cross one, so each line is one sequence.
	start := 0
	for i := 1; i < n; i++ {
		if hasNewline(rs, toks[i-1].End, toks[i].Start) {
			fd.seqs = append(fd.seqs, [2]int{start, i})
			start = i
		}
	}
	fd.seqs = append(fd.seqs, [2]int{start, n})

	get := func(i int) *tokInfo {
		if i < 0 || i >= n {
			return nil
		}
		return &info[i]
	}
	word := func(i int) string {
		if ti := get(i); ti != nil {
			return ti.lower
		}
		if i < 0 {
			return "<s>"
		}
		return "</s>"
	}
	shp := func(i int) string {
		if ti := get(i); ti != nil {
			return ti.short
		}
		return "<>"
	}

	const maxFeat = 256 // a token has fewer; more would just cost an allocation
	var buf []uint64
	// Quote depth carries over from one sentence to the next of a line: the
	// second sentence of a quotation has no opening mark.
	depth, line := 0, 0
	for _, sent := range tokens.Sentences(text, toks) {
		a, b := sent[0], sent[1]
		// Sentence-level: reporting verbs present and where the first is;
		// quote state token by token.
		var verbs []string
		firstVerb := -1
		for i := a; i < b; i++ {
			if isVerbAt(info, i, a) {
				w := info[i].lower
				if w == "for" {
					w = "called for"
				}
				verbs = append(verbs, w)
				if firstVerb < 0 {
					firstVerb = i
				}
			}
		}
		inQuote := make([]bool, b-a)
		for i := a; i < b; i++ {
			if line < len(fd.seqs) && i == fd.seqs[line][0] {
				depth = 0
				line++
			}
			switch quoteKind(toks[i].Text) {
			case 1:
				depth++
			case -1:
				if depth > 0 {
					depth--
				}
			case 2:
				if depth > 0 {
					depth--
				} else {
					depth++
				}
			}
			inQuote[i-a] = depth > 0
		}
		// The nearest reporting verb and punctuation on either side: where
		// a clause (and so a Claim or Proposal) is likely to start or end.
		prevV, nextV := nearest(a, b, func(i int) bool { return isVerbAt(info, i, a) })
		prevP, nextP := nearest(a, b, func(i int) bool { return isPunct(toks[i].Text) })
		lastTrigger := -1
		for i := a; i < b; i++ {
			ti := &info[i]
			if cap(buf)-len(buf) < maxFeat {
				buf = make([]uint64, 0, 1<<14)
			}
			f := buf[len(buf) : len(buf) : len(buf)+maxFeat]
			add := func(name, val string) { f = append(f, fh(name, val)) }
			add("bias", "")
			add("w", toks[i].Text)
			add("l", ti.lower)
			add("s", ti.shape)
			add("ss", ti.short)
			rl := []rune(ti.lower)
			for k := 1; k <= 3 && k <= len(rl); k++ {
				add("p"+string(rune('0'+k)), string(rl[:k]))
				add("x"+string(rune('0'+k)), string(rl[len(rl)-k:]))
			}
			if ti.digit {
				add("digit", "")
				l := ti.lower
				switch {
				case len(l) == 4 && (l[0] == '1' || l[0] == '2') && isDigitStr(l):
					add("year", "")
				case len(l) == 5 && (l[0] == '1' || l[0] == '2') && strings.HasSuffix(l, "s") && isDigitStr(l[:4]):
					add("decade", "")
				case strings.HasSuffix(l, "am") || strings.HasSuffix(l, "pm") || strings.Contains(l, ":"):
					add("clock", "")
				case unicode.IsLetter(firstRuneOf(l)):
					add("ident", "") // "A20", "mid-2025"
				}
			}
			if ti.num {
				add("num", "")
			}
			if ti.fig {
				add("figword", "")
			}
			if isCurrency(firstRune(toks[i].Text)) || currencyCodes[ti.lower] {
				add("currency", "")
			}
			if monthNames[ti.lower] {
				add("month", "")
			}
			if ti.ordinal {
				add("ordinal", "")
			}
			if ti.frac {
				add("frac", "")
			}
			if p := get(i + 1); ti.code && p != nil && p.digit {
				add("code+num", "")
			}
			// "C$410,000": a letter glued to an amount.
			if i+1 < n && !toks[i].WS && isAlpha(toks[i].Text) && len(toks[i].Text) <= 3 && isCurrency(firstRune(toks[i+1].Text)) {
				add("code$", "")
			}
			// Ranges: a number followed by "to"/"and" and another number is
			// one Figure after "between" or "aged", two after "from".
			if p, q := get(i+1), get(i+2); ti.num && p != nil && q != nil && q.num && isJoiner(p.lower) {
				add("rangestart", p.lower+" "+word(i-1))
			}
			if p, q := get(i-1), get(i-2); ti.num && p != nil && q != nil && q.num && isJoiner(p.lower) {
				add("rangeend", p.lower+" "+word(i-3))
			}
			if !toks[i].WS {
				add("glued", "")
			}
			if i > 0 && !toks[i-1].WS {
				add("glued-1", "")
			}
			// "between 10 and 15", "from €7 to €9", "12 to 25": the word
			// joining two numbers and what came before the first.
			if p, q := get(i-1), get(i+1); p != nil && q != nil && p.num && q.num {
				add("bridge", ti.lower)
				add("bridge-2", ti.lower+" "+word(i-2))
			}
			if p, q := get(i-2), get(i-1); p != nil && q != nil && p.num && q.lower == "and" || q != nil && q.lower == "to" && p != nil && p.num {
				add("afterbridge", word(i-3)+" "+q.lower)
			}
			if isPunct(toks[i].Text) {
				add("punct", "")
			}
			// Neighbours.
			for _, d := range []int{-2, -1, 1, 2} {
				name := "l" + offsetName(d)
				add(name, word(i+d))
				add("s"+offsetName(d), shp(i+d))
				if p := get(i + d); p != nil {
					if p.num {
						add("num"+offsetName(d), "")
					}
					if p.fig {
						add("fig"+offsetName(d), p.lower)
					}
					if monthNames[p.lower] {
						add("month"+offsetName(d), "")
					}
					if p.frac {
						add("frac"+offsetName(d), "")
					}
				}
			}
			add("l-1l", word(i-1)+" "+ti.lower)
			add("ll+1", ti.lower+" "+word(i+1))
			add("l+1l+2", word(i+1)+" "+word(i+2))
			add("l-2l-1", word(i-2)+" "+word(i-1))
			// Sentence position.
			if i == a {
				add("first", "")
			}
			if i == b-1 {
				add("last", "")
			}
			add("rel", string(rune('0'+5*(i-a)/(b-a))))
			fd.nLocal[i] = len(f)
			// Quotes.
			q := "out"
			if inQuote[i-a] {
				q = "in"
			}
			add("q", q)
			if i > a && quoteKind(toks[i-1].Text) != 0 {
				add("afterquote", toks[i-1].Text)
			}
			if i+1 < b && quoteKind(toks[i+1].Text) != 0 {
				add("beforequote", toks[i+1].Text)
			}
			// Reporting verbs.
			for _, v := range verbs {
				add("rv", v)
				add("rvq", v+" "+q)
			}
			if firstVerb >= 0 {
				side := "before"
				if i > firstVerb {
					side = "after"
				} else if i == firstVerb {
					side = "at"
				}
				add("rvside", side)
				add("rvsideq", side+" "+q)
			} else {
				add("norv", q)
			}
			if pv := prevV[i-a]; pv >= 0 {
				d := bucket(i - pv)
				add("rvprev", info[pv].lower+" "+d)
				add("rvprevq", d+" "+q)
				add("vf1", word(pv+1))
				add("vf2", word(pv+1)+" "+word(pv+2))
			}
			if nv := nextV[i-a]; nv >= 0 {
				add("rvnext", info[nv].lower+" "+bucket(nv-i))
			}
			if np := nextP[i-a]; np >= 0 {
				add("nextp", toks[np].Text+" "+bucket(np-i))
			} else {
				add("nextp", "none")
			}
			if pp := prevP[i-a]; pp >= 0 {
				add("prevp", toks[pp].Text+" "+bucket(i-pp))
			}
			// The nearest intent word before, and how far back.
			if lastTrigger >= 0 {
				add("trig", info[lastTrigger].lower)
				add("trigd", string(rune('0'+min(i-lastTrigger, 9))))
			}
			if intentWords[ti.lower] {
				lastTrigger = i
			}
			fd.feat[i] = f
			if len(f) <= maxFeat {
				buf = buf[:len(buf)+len(f)]
			}
		}
	}
	return fd
}

// isVerbAt reports a reporting verb at i, or "for" after "called".
func isVerbAt(info []tokInfo, i, a int) bool {
	w := info[i].lower
	return reportingVerbs[w] || w == "for" && i > a && (info[i-1].lower == "called" || info[i-1].lower == "calls")
}

// nearest returns, for each token of [a, b), the closest token before and
// after it (exclusive) for which is holds, or -1.
func nearest(a, b int, is func(int) bool) (prev, next []int) {
	prev, next = make([]int, b-a), make([]int, b-a)
	last := -1
	for i := a; i < b; i++ {
		prev[i-a] = last
		if is(i) {
			last = i
		}
	}
	last = -1
	for i := b - 1; i >= a; i-- {
		next[i-a] = last
		if is(i) {
			last = i
		}
	}
	return prev, next
}

func bucket(d int) string {
	switch {
	case d <= 3:
		return string(rune('0' + d))
	case d <= 6:
		return "4-6"
	case d <= 10:
		return "7-10"
	}
	return "11+"
}

func isJoiner(w string) bool { return w == "to" || w == "and" || w == "–" || w == "-" }

func offsetName(d int) string {
	switch d {
	case -2:
		return "-2"
	case -1:
		return "-1"
	case 1:
		return "+1"
	}
	return "+2"
}

func firstRuneOf(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func firstRune(s string) string {
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}

func hasNewline(rs []rune, from, to int) bool {
	for k := from; k < to && k < len(rs); k++ {
		if rs[k] == '\n' || rs[k] == '\u2029' {
			return true
		}
	}
	return false
}
