package gui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/report/record"
)

// passageBlocks renders a change's substantive passages in document order,
// one block each: its heading path (and the categories of the findings
// that quote it), then sentence by sentence, a changed sentence as its
// Before and After with the changed words marked, an unchanged one muted.
// The cosmetic edits follow in one block.
func passageBlocks(r *record.Record) []block {
	var out []block
	for i, p := range r.Passages {
		if !p.Substantive {
			continue
		}
		out = append(out, passageBlock(i, p))
	}
	if len(out) == 0 {
		out = append(out, richBlock([]widget.RichTextSegment{rtNote("No passage changed meaning.")}, -1))
	}
	if cos := r.Cosmetic(); len(cos) > 0 {
		var lines []string
		for k, i := range cos {
			if k == 30 {
				lines = append(lines, fmt.Sprintf("… and %d more", len(cos)-30))
				break
			}
			p := r.Passages[i]
			text := ""
			if n := len(p.Sentences); n > 0 {
				text = record.Plain(orSpans(p.Sentences[0].After, p.Sentences[0].Before))
			}
			lines = append(lines, fmt.Sprintf("%s: %s", orDefault(p.Reason, p.Op), clip(text, 140)))
		}
		out = append(out, richBlock([]widget.RichTextSegment{rtHeading(fmt.Sprintf("Cosmetic edits (%d)", len(cos))),
			rtNote("Whitespace, punctuation, quotes, link targets, dates and moves: no meaning changed."), rtList(lines)}, -1))
	}
	return out
}

func orSpans(a, b []record.Span) []record.Span {
	if len(a) > 0 {
		return a
	}
	return b
}

// passageBlock renders one passage.
func passageBlock(i int, p record.Passage) block {
	head := orDefault(p.Heading, "(top of the document)")
	segs := []widget.RichTextSegment{rtInline(head, fyne.TextStyle{Bold: true}, theme.ColorNamePlaceHolder)}
	if p.Flagged {
		segs = append(segs, rtInline("   · quoted by: "+strings.Join(p.Categories, "; "), fyne.TextStyle{Bold: true}, theme.ColorNameWarning))
	}
	segs = endLine(segs)
	var links []record.Link
	for _, s := range p.Sentences {
		switch {
		case !s.Changed:
			segs = append(segs, labelled("", s.After, "", &links, true, false)...)
		case s.Before == nil:
			segs = append(segs, labelled("Added", s.After, "", &links, false, false)...)
		case s.After == nil:
			segs = append(segs, labelled("Removed", s.Before, "", &links, false, false)...)
		default:
			segs = append(segs, labelled("Before", s.Before, "", &links, false, true)...)
			segs = append(segs, labelled("After", s.After, "", &links, false, true)...)
		}
	}
	segs = append(segs, linkNotes(links)...)
	return richBlock(segs, i)
}

// Rendering budgets of blockList, in characters: what the first screenful
// makes, and what each scroll near the end adds.
const (
	firstBudget = 2500
	moreBudget  = 2500
	fillBudget  = 6000
)

// blockList shows a long run of blocks lazily: it makes the widgets of the
// first blocks only, adds more as the user scrolls near the end, and
// re-anchors at a block far away when asked to reveal it, so that a diff
// of thousands of passages costs the UI thread one screenful at a time.
type blockList struct {
	// ui, when set, lets the list fill the first screen in later callbacks.
	ui      *UI
	scroll  *container.Scroll
	box     *fyne.Container
	earlier *widget.Button
	blocks  []block
	// start and end bound the blocks made, [start, end); weight is theirs.
	start, end int
	weight     int
}

func newBlockList(u *UI) *blockList {
	l := &blockList{ui: u, box: container.NewVBox()}
	l.earlier = widget.NewButtonWithIcon("Show earlier passages", theme.MoveUpIcon(), l.onEarlier)
	l.scroll = container.NewVScroll(l.box)
	l.scroll.OnScrolled = l.onScrolled
	return l
}

// set replaces the blocks and shows the first screenful.
func (l *blockList) set(blocks []block) {
	l.blocks = blocks
	l.start, l.end, l.weight = 0, 0, 0
	l.box.RemoveAll()
	l.extend(firstBudget)
	l.scroll.ScrollToTop()
	l.fill(len(blocks))
}

// fill adds a budget of blocks in later UI callbacks until about two
// screens of text are made; n is the block count it was asked for, so a
// newer set stops it.
func (l *blockList) fill(n int) {
	if l.ui == nil || l.end >= len(l.blocks) || l.weight >= fillBudget || !l.sized() {
		return
	}
	blocks := l.blocks
	later(l.ui, func() {
		if len(l.blocks) != n || &l.blocks[0] != &blocks[0] {
			return
		}
		l.extend(moreBudget)
		l.fill(n)
	})
}

// extend makes blocks after end until the budget is spent.
func (l *blockList) extend(budget int) {
	var objs []fyne.CanvasObject
	for spent := 0; l.end < len(l.blocks) && (spent < budget || len(objs) == 0); l.end++ {
		spent += l.blocks[l.end].weight
		l.weight += l.blocks[l.end].weight
		objs = append(objs, l.blocks[l.end].make())
	}
	if len(objs) == 0 {
		return
	}
	l.box.Objects = append(l.box.Objects, objs...)
	if l.sized() {
		l.box.Refresh()
	}
	// else the box is laid out when its tab is shown: wrapping text at no
	// width would measure it a character a line
}

// sized reports whether the list has been given a usable width.
func (l *blockList) sized() bool { return l.scroll.Size().Width >= 200 }

// onScrolled adds blocks when the view nears the end of what is made.
func (l *blockList) onScrolled(p fyne.Position) {
	if l.end >= len(l.blocks) {
		return
	}
	if p.Y+l.scroll.Size().Height >= l.box.MinSize().Height-2*l.scroll.Size().Height {
		l.extend(moreBudget)
	}
}

// onEarlier makes the blocks before start.
func (l *blockList) onEarlier() {
	first := l.start
	l.start = max(0, l.start-20)
	objs := []fyne.CanvasObject{}
	if l.start > 0 {
		objs = append(objs, l.earlier)
	}
	for i := l.start; i < first; i++ {
		objs = append(objs, l.blocks[i].make())
	}
	rest := l.box.Objects
	if len(rest) > 0 && rest[0] == l.earlier {
		rest = rest[1:]
	}
	l.box.Objects = append(objs, rest...)
	l.box.Refresh()
}

// reveal scrolls to block i, making it (and a screenful after it) first
// when it is far from what is made.
func (l *blockList) reveal(i int) {
	if i < 0 || i >= len(l.blocks) {
		return
	}
	if i < l.start || i >= l.end+8 {
		l.start, l.end, l.weight = i, i, 0
		l.box.RemoveAll()
		if i > 0 {
			l.box.Add(l.earlier)
		}
		l.extend(firstBudget)
	}
	for i >= l.end {
		l.extend(moreBudget)
	}
	l.scroll.Refresh()
	obj := l.box.Objects[l.index(i)]
	l.scroll.ScrollToOffset(fyne.NewPos(0, obj.Position().Y))
}

// index is the position of block i among the box's objects.
func (l *blockList) index(i int) int {
	k := i - l.start
	if len(l.box.Objects) > 0 && l.box.Objects[0] == l.earlier {
		k++
	}
	return k
}

// replaceSection replaces the block of record section s, in place when it
// is made.
func (l *blockList) replaceSection(s record.Section, b block) {
	for i := range l.blocks {
		if l.blocks[i].section != s || l.blocks[i].passage >= 0 {
			continue
		}
		l.blocks[i] = b
		if i >= l.start && i < l.end {
			l.box.Objects[l.index(i)] = b.make()
			l.box.Refresh()
		}
		return
	}
}

// made is how many blocks have widgets (tests and benchmarks).
func (l *blockList) made() int { return l.end - l.start }

// clip shortens s to n runes on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// diffText is rich text as plain text (tests, copy), no-break spaces as
// spaces.
func diffText(segs []widget.RichTextSegment) string {
	return strings.NewReplacer("\u00a0", " ", zwsp, "").Replace(richText(segs))
}

func richText(segs []widget.RichTextSegment) string {
	var b strings.Builder
	for _, s := range segs {
		switch t := s.(type) {
		case *widget.TextSegment:
			b.WriteString(t.Text)
			if !t.Inline() {
				b.WriteByte('\n')
			}
		case *widget.HyperlinkSegment:
			b.WriteString(t.Text)
		case *widget.ListSegment:
			for _, it := range t.Items {
				b.WriteString("• ")
				b.WriteString(richText([]widget.RichTextSegment{it}))
			}
		case *widget.ParagraphSegment:
			b.WriteString(richText(t.Texts))
		}
	}
	return b.String()
}
