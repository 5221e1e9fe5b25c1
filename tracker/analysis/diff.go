package analysis

import (
	"cmp"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Diff compares two normalised texts block by block, in two steps. Blocks
// whose text is the same in both versions are aligned first (Myers diff from
// github.com/sergi/go-diff, one rune per distinct block text) and need no
// more work. Each run of removed and added blocks between them is then
// compared on its own (compareRegion): blocks that differ only in white
// space, quote styles or link targets are cosmetic hunks as they stand;
// otherwise the run's blocks are aligned again by cosmetic key, and the rest
// is paired by word similarity into modified hunks. A removed block re-added
// elsewhere is a moved hunk. Every hunk keeps its heading path;
// cosmetic-only hunks are returned with Substantive false and a Reason.
func Diff(oldText, newText string) []Hunk {
	return diffBlocks(parsePair(oldText, newText))
}

// pairing thresholds: Dice similarity of token multisets, or containment of
// the shorter block in the longer one.
const (
	pairDice        = 0.45
	pairContainment = 0.8
	maxPairWork     = 250000 // similarity computations per region before windowing
)

func diffBlocks(ob, nb []*block) []Hunk {
	var regions []changedRun
	alignBlocks(ob, nb, textRunes(ob), textRunes(nb), func(dels, ins []*block) {
		regions = append(regions, changedRun{dels, ins})
	}, nil)
	hunks := compareRuns(regions)
	hunks = markMoves(hunks)
	finishHunks(hunks)
	markMenuLabels(hunks)
	return hunks
}

// changedRun is a run of removed and added blocks between aligned ones.
type changedRun struct{ dels, ins []*block }

// parallelCompareBytes is the size of changed runs (their raw texts) above
// which compareRuns shares them between two goroutines.
const parallelCompareBytes = 32 << 10

// compareRuns compares every changed run (compareRegion) and returns their
// hunks in document order, with pairing regions numbered in order, as
// compareInOrder does. When the runs hold much text, two goroutines take
// runs in turn until none is left, so that neither waits for the other
// when one starts late. (Blocks of different runs may share a blockText,
// whose derivation is guarded by a sync.Once; nothing else is shared.)
func compareRuns(runs []changedRun) []Hunk {
	total := 0
	for _, r := range runs {
		for _, b := range r.dels {
			total += len(b.raw)
		}
		for _, b := range r.ins {
			total += len(b.raw)
		}
	}
	if total < parallelCompareBytes || len(runs) < 2 {
		hunks, _ := compareInOrder(runs)
		return hunks
	}
	results := make([][]Hunk, len(runs))
	regions := make([]int, len(runs)) // pairing regions of each run, numbered from 1
	inTurn(len(runs), func(k int) {
		results[k] = compareRegion(runs[k].dels, runs[k].ins, &regions[k])
	})
	var hunks []Hunk
	offset := 0 // regions of the runs before
	for k, hs := range results {
		for _, h := range hs {
			if h.region > 0 {
				h.region += offset
			}
			hunks = append(hunks, h)
		}
		offset += regions[k]
	}
	return hunks
}

// inTurn calls do(k) for every k < n on two goroutines, each taking the
// next k until none is left. The second goroutine may start late (a fresh
// process wakes its second thread slowly); the first then does more.
func inTurn(n int, do func(k int)) {
	var next atomic.Int64
	work := func() {
		for k := int(next.Add(1)) - 1; k < n; k = int(next.Add(1)) - 1 {
			do(k)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		work()
	}()
	work()
	<-done
}

// parallelFinishHunks is the number of hunks from which finishHunks
// finishes them on two goroutines.
const parallelFinishHunks = 64

// finishHunks finishes every hunk (finishHunk), on two goroutines when
// there are many: each hunk has blocks of its own, and a blockText shared
// by blocks of two hunks is derived under a sync.Once.
func finishHunks(hunks []Hunk) {
	if len(hunks) < parallelFinishHunks {
		for k := range hunks {
			finishHunk(&hunks[k])
		}
		return
	}
	inTurn(len(hunks), func(k int) { finishHunk(&hunks[k]) })
}

// compareInOrder compares changed runs one after the other and returns
// their hunks and the number of pairing regions, numbered from 1.
func compareInOrder(runs []changedRun) (hunks []Hunk, regions int) {
	for _, r := range runs {
		hunks = append(hunks, compareRegion(r.dels, r.ins, &regions)...)
	}
	return hunks, regions
}

func keyOf(b *block) string { return b.key() }

// alignBlocks aligns two block lists given one rune per block (a for ob,
// b for nb; blocks with equal runes match) and calls changed with every run
// of removed and added blocks between aligned ones, and aligned (when not
// nil) with every aligned pair, in document order.
func alignBlocks(ob, nb []*block, a, b []rune, changed func(dels, ins []*block), aligned func(o, n *block)) {
	var dels, ins []*block
	flush := func() {
		if len(dels) > 0 || len(ins) > 0 {
			changed(dels, ins)
		}
		dels, ins = nil, nil
	}
	for _, op := range alignRunes(a, b) {
		switch op.kind {
		case diffmatchpatch.DiffEqual:
			flush()
			if aligned != nil {
				for k := 0; k < op.n; k++ {
					aligned(ob[op.i+k], nb[op.j+k])
				}
			}
		case diffmatchpatch.DiffDelete:
			dels = append(dels, ob[op.i:op.i+op.n]...)
		case diffmatchpatch.DiffInsert:
			ins = append(ins, nb[op.j:op.j+op.n]...)
		}
	}
	flush()
}

// alignOp is a run of an alignment: n equal, deleted or inserted items
// starting at a[i] and b[j].
type alignOp struct {
	kind diffmatchpatch.Operation
	i, j int
	n    int
}

// alignRunes aligns two sequences as a patience diff does: the items that
// occur exactly once in each are anchors, the longest run of them in the
// same order in both is kept equal, and the stretches between anchors are
// aligned with Myers' algorithm (go-diff). Most blocks of a policy are
// unique, so the stretches hold little more than the changed blocks, and
// Myers' cost, which grows with the number of edits times the length, stays
// small even when a change touches a hundred blocks across the document.
func alignRunes(a, b []rune) []alignOp {
	var ops []alignOp
	emit := func(kind diffmatchpatch.Operation, i, j, n int) {
		if n == 0 {
			return
		}
		// runs are emitted in order, so a run of the same kind continues the last
		if k := len(ops) - 1; k >= 0 && ops[k].kind == kind {
			ops[k].n += n
			return
		}
		ops = append(ops, alignOp{kind: kind, i: i, j: j, n: n})
	}
	i, j := 0, 0
	for _, an := range uniqueAnchors(a, b) {
		myersRunes(a[i:an[0]], b[j:an[1]], i, j, emit)
		emit(diffmatchpatch.DiffEqual, an[0], an[1], 1)
		i, j = an[0]+1, an[1]+1
	}
	myersRunes(a[i:], b[j:], i, j, emit)
	return ops
}

// myersRunes aligns a stretch with go-diff, reporting runs at offsets i0
// and j0.
func myersRunes(a, b []rune, i0, j0 int, emit func(kind diffmatchpatch.Operation, i, j, n int)) {
	switch {
	case len(a) == 0:
		emit(diffmatchpatch.DiffInsert, i0, j0, len(b))
		return
	case len(b) == 0:
		emit(diffmatchpatch.DiffDelete, i0, j0, len(a))
		return
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 5 * time.Second
	i, j := i0, j0
	for _, d := range dmp.DiffMainRunes(a, b, false) {
		n := utf8.RuneCountInString(d.Text)
		emit(d.Type, i, j, n)
		if d.Type != diffmatchpatch.DiffInsert {
			i += n
		}
		if d.Type != diffmatchpatch.DiffDelete {
			j += n
		}
	}
}

// uniqueAnchors returns the positions (in a, in b) of the longest sequence
// of items that occur once in each and in the same order in both (patience
// sorting of the b positions taken in a order).
func uniqueAnchors(a, b []rune) [][2]int {
	// the runes are small numbers (see textRunes and blockRunes): counted
	// in a slice indexed by rune, saturating at 2
	type count struct {
		na, nb uint8
		ib     int32
	}
	top := rune(0)
	for _, r := range a {
		top = max(top, r)
	}
	counts := make([]count, top+1)
	for _, r := range a {
		counts[r].na = min(counts[r].na+1, 2)
	}
	for j, r := range b {
		if r <= top && counts[r].na > 0 {
			c := &counts[r]
			c.nb = min(c.nb+1, 2)
			c.ib = int32(j)
		}
	}
	var cand [][2]int // in a order
	for i, r := range a {
		if c := counts[r]; c.na == 1 && c.nb == 1 {
			cand = append(cand, [2]int{i, int(c.ib)})
		}
	}
	// longest increasing subsequence of the b positions
	tails := []int{} // tails[k]: index in cand of the smallest tail of a run of length k+1
	prev := make([]int, len(cand))
	for k, c := range cand {
		lo, hi := 0, len(tails)
		for lo < hi {
			mid := (lo + hi) / 2
			if cand[tails[mid]][1] < c[1] {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		prev[k] = -1
		if lo > 0 {
			prev[k] = tails[lo-1]
		}
		if lo == len(tails) {
			tails = append(tails, k)
		} else {
			tails[lo] = k
		}
	}
	if len(tails) == 0 {
		return nil
	}
	out := make([][2]int, len(tails))
	for k, x := len(tails)-1, tails[len(tails)-1]; k >= 0; k, x = k-1, prev[x] {
		out[k] = cand[x]
	}
	return out
}

// compareRegion compares a run of removed and added blocks. Blocks that
// pair up in order, all along the run when it removes as many blocks as it
// adds, else at its start and end, and whose raw texts differ only
// cosmetically (see cosmeticPair), are hunks as they stand; nothing needs
// deriving. The rest goes to keyRegion, each stretch between such pairs on
// its own.
func compareRegion(dels, ins []*block, region *int) []Hunk {
	var hunks []Hunk
	if len(dels) == len(ins) {
		start := 0
		for k := range dels {
			if h, ok := cosmeticPair(dels[k], ins[k]); ok {
				hunks = append(hunks, keyRegion(dels[start:k], ins[start:k], region)...)
				hunks = appendHunk(hunks, h)
				start = k + 1
			}
		}
		return append(hunks, keyRegion(dels[start:], ins[start:], region)...)
	}
	lo := 0
	for lo < len(dels) && lo < len(ins) {
		h, ok := cosmeticPair(dels[lo], ins[lo])
		if !ok {
			break
		}
		hunks = appendHunk(hunks, h)
		lo++
	}
	var tail []Hunk
	hi := 0 // pairs matched at the end
	for lo+hi < len(dels) && lo+hi < len(ins) {
		h, ok := cosmeticPair(dels[len(dels)-1-hi], ins[len(ins)-1-hi])
		if !ok {
			break
		}
		tail = appendHunk(tail, h)
		hi++
	}
	slices.Reverse(tail)
	hunks = append(hunks, keyRegion(dels[lo:len(dels)-hi], ins[lo:len(ins)-hi], region)...)
	return append(hunks, tail...)
}

// appendHunk appends h unless it is the empty hunk of a white-space change.
func appendHunk(hunks []Hunk, h Hunk) []Hunk {
	if h.Op == "" {
		return hunks
	}
	return append(hunks, h)
}

// keyRegion compares removed and added blocks by their derived texts:
// blocks without words are dropped, the rest aligned by cosmetic key
// (aligned blocks differing in more than white space are cosmetic hunks),
// and each run left between aligned blocks, a region of its own, paired by
// pairRegion.
func keyRegion(dels, ins []*block, region *int) []Hunk {
	if len(dels) == 0 && len(ins) == 0 {
		return nil
	}
	var hunks []Hunk
	dels, ins = withWords(dels), withWords(ins)
	a, b := blockRunes(dels, ins, keyOf)
	alignBlocks(dels, ins, a, b, func(d, i []*block) {
		*region++
		for _, h := range pairRegion(d, i) {
			h.region = *region
			hunks = append(hunks, h)
		}
	}, func(o, n *block) {
		if h, ok := cosmeticHunk(o, n); ok {
			hunks = append(hunks, h)
		}
	})
	return hunks
}

// withWords drops the blocks whose key is empty (images, rules, bare links).
func withWords(bs []*block) []*block {
	out := make([]*block, 0, len(bs))
	for _, b := range bs {
		if b.key() != "" {
			out = append(out, b)
		}
	}
	return out
}

// cosmeticPair reports whether two blocks' raw texts differ only in white
// space, quote styles or link targets, which leaves their cosmetic keys
// equal, and returns the hunk for them: an empty one (no Op) for white
// space alone, a non-substantive one otherwise. Only the changed window of
// the texts is split into words and compared (see changedWindow).
func cosmeticPair(o, n *block) (Hunk, bool) {
	if o.kind != n.kind {
		return Hunk{}, false
	}
	d, ea, eb := changedSpan(o.raw, n.raw)
	wa, wb := o.raw[d:ea], n.raw[d:eb]
	if oddSpace(wa) || oddSpace(wb) {
		return Hunk{}, false
	}
	if sameFields(wa, wb) {
		return Hunk{}, true
	}
	quotes := mayFoldQuotes(wa) || mayFoldQuotes(wb)
	links := strings.Contains(wa, "](") || strings.Contains(wb, "](")
	var reason string
	switch {
	case quotes && markupFree(wa) && markupFree(wb) && sameFoldedWindows(wa, wb):
		reason = ReasonQuotes
	case links && simpleLinkTargets(wa) && simpleLinkTargets(wb) && sameLinkTexts(wa, wb):
		reason = ReasonLinkTarget
	case !quotes && !links && samePlainWords(o.raw[:d], wa, wb):
		reason = ReasonPunctuation
	case sameSegmentKeys(o.raw, n.raw, d):
		// equal keys: the reason as cosmeticReason gives it (without quote
		// or link bytes in the windows, folding or stripping changes nothing)
		switch {
		case quotes && sameFoldedWindows(wa, wb):
			reason = ReasonQuotes
		case links && sameLinkTexts(wa, wb):
			reason = ReasonLinkTarget
		default:
			reason = ReasonPunctuation
		}
	default:
		return Hunk{}, false
	}
	// blocks without words (a bare link target left on its own line) are
	// not compared at all, as keyRegion drops them
	if ow, nw := wordless(o), wordless(n); ow || nw {
		return Hunk{}, ow && nw
	}
	words, paired := pairedWords(n.raw[:d], wa, wb, n.raw[eb:])
	if !paired {
		words = wordDiff(o.raw, n.raw)
	}
	return Hunk{Op: OpModified, Heading: n.heading(), Old: o.raw, New: n.raw, oldBlock: o, newBlock: n, Reason: reason,
		Words: words}, true
}

// samePlainWords reports, for the changed windows wa and wb of two texts
// that share the prefix before them, whether the texts' cosmetic keys are
// equal, judging from the windows' words alone: it requires the windows to
// hold no markup that plainText turns into or out of words (links, tags,
// entities, brackets, bare URLs, quote styles, escapes, or emphasis
// markers joining two words) and the prefix to hold two whole words, so
// that a leading enumerator is removed alike from both. When it cannot
// tell, it says no, and the blocks are compared by their derived keys.
func samePlainWords(prefix, wa, wb string) bool {
	if countFields(prefix, 2) < 2 || !plainWindow(wa) || !plainWindow(wb) {
		return false
	}
	return textKey(wa) == textKey(wb)
}

// sameSegmentKeys reports whether two texts whose first difference comes
// after d have equal cosmetic keys, deriving only the segments that differ.
// Segments are the stretches between line breaks, "<br>" and table cell
// borders, which plainText turns into line breaks: when both texts have as
// many segments and every segment holds whole constructs (brackets,
// parentheses and angle brackets balanced), a text's words are its
// segments' words in order, so the keys are equal when those of the
// segments that differ are. The shared start must hold two whole words, so
// that a leading enumerator is removed alike. When it cannot tell, it says
// no.
func sameSegmentKeys(a, b string, d int) bool {
	if countFields(a[:d], 2) < 2 {
		return false
	}
	var bufA, bufB [16]string // most blocks have few segments: kept off the heap
	sa, oka := balancedSegments(a, bufA[:0])
	sb, okb := balancedSegments(b, bufB[:0])
	if !oka || !okb || len(sa) != len(sb) || len(sa) < 2 {
		return false // a construct crosses segments, or one segment: the whole block
	}
	for k := range sa {
		if sa[k] != sb[k] && textKey(plainText(sa[k])) != textKey(plainText(sb[k])) {
			return false
		}
	}
	return true
}

// balancedSegments splits s at line breaks, "<br>" and " | ", appending
// the segments to out, and reports whether every segment holds whole
// constructs: each bracket, parenthesis and angle bracket closed within it,
// in order. One pass does both.
func balancedSegments(s string, out []string) ([]string, bool) {
	var sq, par, ang int
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !segmentByte[c] {
			continue
		}
		sep, at := 0, i // a separator of sep bytes from at
		switch c {
		case '\n':
			sep = 1
		case '|':
			// " | ", whose first space is not the end of the last separator
			if i-1 >= start && s[i-1] == ' ' && i+1 < len(s) && s[i+1] == ' ' {
				sep, at = 3, i-1
			}
		case '<':
			if i+3 < len(s) && s[i+1] == 'b' && s[i+2] == 'r' && s[i+3] == '>' {
				sep = 4
			} else {
				ang++
			}
		case '>':
			ang--
		case '[':
			sq++
		case ']':
			sq--
		case '(':
			par++
		case ')':
			par--
		}
		if sep > 0 {
			if sq != 0 || par != 0 || ang != 0 {
				return nil, false
			}
			out = append(out, s[start:at])
			start = at + sep
			i = start - 1
			continue
		}
		if sq < 0 || par < 0 || ang < 0 {
			return nil, false
		}
	}
	if sq != 0 || par != 0 || ang != 0 {
		return nil, false
	}
	return append(out, s[start:]), true
}

// segmentByte marks the bytes balancedSegments looks at.
var segmentByte = [256]bool{'\n': true, '|': true, '<': true, '>': true, '[': true, ']': true, '(': true, ')': true}

// plainWindow reports whether plainText keeps the words of s as they are.
func plainWindow(s string) bool { return !mayFoldQuotes(s) && markupFree(s) }

// simpleLinkTargets reports whether every "](" in s starts a link target
// that plainText removes whole, as stripLinkURLs does: characters other
// than parentheses and white space, then ")"; and whether s is otherwise
// free of HTML, whose tags plainText strips first.
func simpleLinkTargets(s string) bool {
	if strings.ContainsAny(s, "<>") {
		return false
	}
	for p := 0; ; {
		k := strings.Index(s[p:], "](")
		if k < 0 {
			return true
		}
		p += k + 2
		for p < len(s) && s[p] != '(' && s[p] != ')' && asciiSpace[s[p]&0x7f] == 0 {
			p++
		}
		if p == len(s) || s[p] != ')' {
			return false
		}
	}
}

// markupFree reports whether s holds no markup plainText turns into or out
// of words (quote styles aside): links, tags, entities, brackets, bare URLs,
// escapes, or runs of emphasis markers joining two words.
func markupFree(s string) bool {
	if strings.ContainsAny(s, "<>&[]()`\\") || strings.Contains(s, "://") || strings.Contains(s, "www.") ||
		strings.Contains(s, "''") { // plainText makes "''" one apostrophe, which may join words
		return false
	}
	// runs of *, _ or ~ are stripped: they must not join two words (an
	// apostrophe can carry a word on)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '*' && c != '_' && c != '~' {
			continue
		}
		j := i
		for j < len(s) && (s[j] == '*' || s[j] == '_' || s[j] == '~') {
			j++
		}
		if i > 0 && j < len(s) && (wordByte(s[i-1]) || s[i-1] == '\'') && (wordByte(s[j]) || s[j] == '\'') {
			return false // "a*b" → "ab", "a*'b" → "a'b": one word
		}
		i = j
	}
	return true
}

// sameLinkTexts reports whether stripLinkURLs(wa) and stripLinkURLs(wb)
// have the same fields. A link target holds no white space but a vertical
// tab, so in ASCII text without one stripping acts within each field and
// only the fields that differ need stripping.
func sameLinkTexts(wa, wb string) bool {
	if !isASCII(wa) || !isASCII(wb) || strings.IndexByte(wa, '\v') >= 0 || strings.IndexByte(wb, '\v') >= 0 {
		return sameFields(stripLinkURLs(wa), stripLinkURLs(wb))
	}
	return sameMappedFields(wa, wb, stripLinkURLs) // a field keeps at least "]("
}

// pairedWords is the word diff of two texts that share before and after,
// when their windows between, wa and wb, have as many words, which pair up
// in order: equal runs, and each run of differing words as one removal and
// one addition. It reports false when the windows' words do not pair up.
func pairedWords(before, wa, wb, after string) ([]WordOp, bool) {
	var out []WordOp
	add := func(op, text string) {
		if text != "" {
			out = appendWordOp(out, op, text)
		}
	}
	add(OpEqual, joinedFields(before))
	i, j := 0, 0 // in wa and wb, at field boundaries
	for {
		i, j = skipSpace(wa, i), skipSpace(wb, j)
		if i == len(wa) || j == len(wb) {
			break
		}
		// a run of fields, equal or differing pair by pair, from ri and rj
		ri, rj := i, j
		fi, fj := fieldEnd(wa, i), fieldEnd(wb, j)
		same := wa[i:fi] == wb[j:fj]
		for {
			i, j = fi, fj
			if same { // the fields both hold byte for byte next are equal too
				p := sharedFieldsLen(wa[i:], wb[j:])
				i, j = i+p, j+p
			}
			ni, nj := skipSpace(wa, i), skipSpace(wb, j)
			if ni == len(wa) || nj == len(wb) {
				break
			}
			fi, fj = fieldEnd(wa, ni), fieldEnd(wb, nj)
			if (wa[ni:fi] == wb[nj:fj]) != same {
				break
			}
		}
		if same {
			add(OpEqual, joinedFields(wb[rj:j]))
		} else {
			add(OpRemoved, joinedFields(wa[ri:i]))
			add(OpAdded, joinedFields(wb[rj:j]))
		}
	}
	if i < len(wa) || j < len(wb) {
		return nil, false // one window has more words
	}
	add(OpEqual, joinedFields(after))
	return out, true
}

// wordless reports whether a block has no words. Blocks with a letter or
// digit outside markup plainly have some; others are derived to find out,
// unless long (a very long bare link is compared as text).
func wordless(b *block) bool {
	return len(b.raw) <= 512 && !hasPlainWord(b.raw) && b.key() == ""
}

// hasPlainWord reports whether s holds a letter or digit outside what
// plainText removes or may remove: link and image targets, HTML tags and
// autolinks, bare URLs, entities, footnote markers and the second part of
// reference links. Such a character survives into the cosmetic key, so
// the key is not empty.
func hasPlainWord(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ']' && i+1 < len(s) && s[i+1] == '(':
			if k := strings.IndexByte(s[i:], ')'); k >= 0 {
				i += k
				continue
			}
			return false
		case c == '[' && (i > 0 && s[i-1] == ']' || i+1 < len(s) && '0' <= s[i+1] && s[i+1] <= '9'),
			c == '<', c == '&':
			// a reference ("[text][ref]"), footnote ("[3]"), tag or entity
			end := byte(']')
			switch c {
			case '<':
				end = '>'
			case '&':
				end = ';'
			}
			if k := strings.IndexByte(s[i:], end); k >= 0 {
				i += k
				continue
			}
			return false
		case c == 'h' && (strings.HasPrefix(s[i:], "http://") || strings.HasPrefix(s[i:], "https://")),
			c == 'w' && strings.HasPrefix(s[i:], "www."):
			for i < len(s) && !isFieldSpace(s[i]) {
				i++
			}
		case c >= utf8.RuneSelf:
			return false // not decided here: derive
		case asciiWord[c]:
			return true
		}
	}
	return false
}

// textRunes gives each block the rune of its text (see blockCache): blocks
// with the same raw text share it.
func textRunes(bs []*block) []rune {
	rs := make([]rune, len(bs))
	for k, b := range bs {
		rs[k] = b.text.id
	}
	return rs
}

// blockRunes maps each distinct block id to one rune so that the character
// differ aligns whole blocks.
func blockRunes(ob, nb []*block, id func(*block) string) ([]rune, []rune) {
	ids := map[string]rune{}
	next := rune(1)
	conv := func(bs []*block) []rune {
		rs := make([]rune, len(bs))
		for k, bl := range bs {
			key := id(bl)
			r, ok := ids[key]
			if !ok {
				r = next
				next++
				if next == 0xD800 {
					next = 0xE000 // skip surrogates
				}
				ids[key] = r
			}
			rs[k] = r
		}
		return rs
	}
	return conv(ob), conv(nb)
}

// cosmeticHunk returns a non-substantive hunk for aligned blocks whose text
// differs in more than whitespace.
func cosmeticHunk(o, n *block) (Hunk, bool) {
	if o.raw == n.raw || sameFields(o.raw, n.raw) {
		return Hunk{}, false
	}
	// finishHunk gives the reason, as for any modified hunk
	return Hunk{Op: OpModified, Heading: n.heading(), Old: o.raw, New: n.raw, oldBlock: o, newBlock: n}, true
}

// sameFields reports whether two texts have the same white-space separated
// fields in the same order (strings.Fields(a) equals strings.Fields(b)),
// without building either list.
func sameFields(a, b string) bool { return sameMappedFields(a, b, nil) }

// sameQuoteFolded reports whether foldQuotes(a) and foldQuotes(b) have the
// same fields, mapping only the stretch where they differ (see
// changedWindow).
func sameQuoteFolded(a, b string) bool { return sameFoldedWindows(changedWindow(a, b)) }

// sameFoldedWindows reports whether two changed windows have the same
// fields once quotes are folded, folding only when either holds a
// character foldQuotes changes.
func sameFoldedWindows(wa, wb string) bool {
	if !mayFoldQuotes(wa) && !mayFoldQuotes(wb) {
		return sameFields(wa, wb)
	}
	if foldDrops(wa) || foldDrops(wb) {
		// a field of dropped characters alone would vanish: fold it all
		return sameFields(foldQuotes(wa), foldQuotes(wb))
	}
	return sameMappedFields(wa, wb, foldQuotes)
}

// foldDrops reports whether foldQuotes drops a character of s (a soft
// hyphen, zero-width space or byte-order mark).
func foldDrops(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == 0xC2 || c == 0xE2 || c == 0xEF {
			if r, n := quoteAt(s, i); n > 0 && r == "" {
				return true
			}
		}
	}
	return false
}

// sameMappedFields reports whether the fields of f(wa) and f(wb) are
// equal, for a mapping f that acts within fields: it neither adds nor
// removes white space, and maps no field to nothing. Only the fields that
// differ are mapped; a nil f compares the fields as they are.
func sameMappedFields(wa, wb string, f func(string) string) bool {
	for i, j := 0, 0; ; {
		p := sharedFieldsLen(wa[i:], wb[j:]) // equal fields need no mapping
		i, j = skipSpace(wa, i+p), skipSpace(wb, j+p)
		if i == len(wa) || j == len(wb) {
			return i == len(wa) && j == len(wb)
		}
		ei, ej := fieldEnd(wa, i), fieldEnd(wb, j)
		if fa, fb := wa[i:ei], wb[j:ej]; fa != fb && (f == nil || f(fa) != f(fb)) {
			return false
		}
		i, j = ei, ej
	}
}

// mayFoldQuotes reports whether s holds a byte that starts a character
// foldQuotes replaces (see quoteAt).
func mayFoldQuotes(s string) bool {
	return strings.IndexByte(s, '`') >= 0 || strings.IndexByte(s, 0xC2) >= 0 ||
		strings.IndexByte(s, 0xE2) >= 0 || strings.IndexByte(s, 0xEF) >= 0
}

// sameWithoutLinkURLs reports whether stripLinkURLs(a) and
// stripLinkURLs(b) have the same fields, stripping only the stretch where
// they differ (see changedWindow).
func sameWithoutLinkURLs(a, b string) bool { return sameLinkTexts(changedWindow(a, b)) }

// blockBag is the multiset of a block's token keys: token ids (see
// makeBag) in increasing order with their counts.
type blockBag struct {
	ids, counts []int32
	total       int
}

// makeBag counts the token keys of a block's plain text, numbering each
// distinct key through intern. When the block's key is textKey(plain), its
// words are those token keys and the text need not be tokenised again.
// counts is scratch space indexed by token id, all zero, and left so.
func makeBag(b *block, intern map[string]int32, counts *[]int32) blockBag {
	var ids []int32 // distinct, in the order first seen
	total := 0
	add := func(k string) {
		id, ok := intern[k]
		if !ok {
			id = int32(len(intern))
			intern[k] = id
		}
		if int(id) >= len(*counts) {
			*counts = append(*counts, make([]int32, int(id)+1-len(*counts))...)
		}
		if (*counts)[id] == 0 {
			ids = append(ids, id)
		}
		(*counts)[id]++
		total++
	}
	if t := b.text.derived(); t.keyOfPlain {
		for k := range strings.SplitSeq(t.key, " ") {
			if k != "" {
				add(k)
			}
		}
	} else {
		for _, tok := range tokenize(t.plain) {
			add(tok.key)
		}
	}
	slices.Sort(ids)
	bag := blockBag{ids: ids, counts: make([]int32, len(ids)), total: total}
	for k, id := range ids {
		bag.counts[k] = (*counts)[id]
		(*counts)[id] = 0
	}
	return bag
}

// bagSimilarity is similarity for blockBags: the Dice coefficient of the
// two multisets and the containment of the smaller in the larger.
func bagSimilarity(a, b blockBag) (dice, contain float64) {
	if a.total == 0 || b.total == 0 {
		return 0, 0
	}
	common := 0
	for i, j := 0, 0; i < len(a.ids) && j < len(b.ids); {
		switch {
		case a.ids[i] < b.ids[j]:
			i++
		case a.ids[i] > b.ids[j]:
			j++
		default:
			common += int(min(a.counts[i], b.counts[j]))
			i++
			j++
		}
	}
	return 2 * float64(common) / float64(a.total+b.total), float64(common) / float64(min(a.total, b.total))
}

func similarity(a, b map[string]int, na, nb int) (dice, contain float64) {
	if na == 0 || nb == 0 {
		return 0, 0
	}
	small, large := a, b
	if len(b) < len(a) {
		small, large = b, a
	}
	common := 0
	for k, c := range small {
		if d := large[k]; d > 0 {
			if d < c {
				c = d
			}
			common += c
		}
	}
	mn := na
	if nb < mn {
		mn = nb
	}
	return 2 * float64(common) / float64(na+nb), float64(common) / float64(mn)
}

type candidate struct {
	d, i  int
	score float64
}

// pairRegion pairs removed and added blocks of one changed region into
// modified hunks and emits the rest as removed or added, in document order.
func pairRegion(dels, ins []*block) []Hunk {
	intern := map[string]int32{}
	var counts []int32
	bagsD := make([]blockBag, len(dels))
	for k, b := range dels {
		bagsD[k] = makeBag(b, intern, &counts)
	}
	bagsI := make([]blockBag, len(ins))
	for k, b := range ins {
		bagsI[k] = makeBag(b, intern, &counts)
	}
	window := len(ins)
	if len(dels)*len(ins) > maxPairWork {
		window = maxPairWork / (2 * max(1, len(dels)))
		if window < 8 {
			window = 8
		}
	}
	var cands []candidate
	for d := range dels {
		center := d * len(ins) / max(1, len(dels))
		lo, hi := max(0, center-window), min(len(ins), center+window+1)
		for i := lo; i < hi; i++ {
			dice, contain := bagSimilarity(bagsD[d], bagsI[i])
			if dice >= pairDice || (contain >= pairContainment && min(bagsD[d].total, bagsI[i].total) >= 5) {
				cands = append(cands, candidate{d: d, i: i, score: dice + 0.1*contain})
			}
		}
	}
	slices.SortStableFunc(cands, func(x, y candidate) int { return cmp.Compare(y.score, x.score) }) // best first
	pairOfIns := make([]int, len(ins))
	usedD := make([]bool, len(dels))
	for k := range pairOfIns {
		pairOfIns[k] = -1
	}
	for _, c := range cands {
		if usedD[c.d] || pairOfIns[c.i] >= 0 {
			continue
		}
		usedD[c.d] = true
		pairOfIns[c.i] = c.d
	}

	var out []Hunk
	emitted := make([]bool, len(dels))
	emitRemoved := func(upto int) {
		for d := 0; d < upto && d < len(dels); d++ {
			if !usedD[d] && !emitted[d] {
				emitted[d] = true
				b := dels[d]
				out = append(out, Hunk{Op: OpRemoved, Heading: b.heading(), Old: b.raw, oldBlock: b})
			}
		}
	}
	for i, b := range ins {
		if p := pairOfIns[i]; p >= 0 {
			emitRemoved(p)
			o := dels[p]
			out = append(out, Hunk{Op: OpModified, Heading: b.heading(), Old: o.raw, New: b.raw, oldBlock: o, newBlock: b})
			continue
		}
		out = append(out, Hunk{Op: OpAdded, Heading: b.heading(), New: b.raw, newBlock: b})
	}
	emitRemoved(len(dels))
	return out
}

// markMoves turns a removed block that is added back elsewhere (same
// cosmetic key, images aside: see keyWithoutImages) into one moved hunk at
// its new position.
func markMoves(hunks []Hunk) []Hunk {
	removed := map[string][]int{}
	for k, h := range hunks {
		if h.Op == OpRemoved {
			key := keyWithoutImages(h.oldBlock)
			removed[key] = append(removed[key], k)
		}
	}
	drop := map[int]bool{}
	for k := range hunks {
		h := &hunks[k]
		if h.Op != OpAdded {
			continue
		}
		key := keyWithoutImages(h.newBlock)
		list := removed[key]
		if len(list) == 0 {
			continue
		}
		r := list[0]
		removed[key] = list[1:]
		drop[r] = true
		h.Op = OpMoved
		h.oldBlock = hunks[r].oldBlock
		h.Old = hunks[r].Old
		h.Reason = "moved"
	}
	if len(drop) == 0 {
		return hunks
	}
	out := hunks[:0]
	for k, h := range hunks {
		if !drop[k] {
			out = append(out, h)
		}
	}
	return out
}

// finishHunk computes the word diff and decides whether the hunk is
// substantive.
func finishHunk(h *Hunk) {
	if h.oldBlock != nil && h.newBlock != nil && h.Op != OpMoved && h.Words == nil {
		h.Words = wordDiff(h.Old, h.New)
	}
	if h.Reason != "" {
		h.Substantive = false
		return
	}
	switch h.Op {
	case OpModified:
		h.Reason = cosmeticReason(h.oldBlock, h.newBlock)
	case OpAdded:
		h.Reason = soloCosmeticReason(h.newBlock)
	case OpRemoved:
		h.Reason = soloCosmeticReason(h.oldBlock)
		if h.Reason == "" && isUpdateNotice(h.oldBlock) {
			h.Reason = ReasonUpdateNotice
		}
	}
	h.Substantive = h.Reason == ""
}
