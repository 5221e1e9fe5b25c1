package tracker

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"policywatch/tracker/alerts"
	"policywatch/tracker/analysis"
)

// Message limits: what an alert shows of one change.
const (
	msgFindings   = 5   // top findings
	msgCitations  = 4   // citations per finding
	msgPassages   = 3   // changed passages, before and after
	msgPassageLen = 600 // bytes of each side of a passage
)

// ChangeLink is the address that opens a change in the desktop app.
func ChangeLink(id int64) string { return fmt.Sprintf("policywatch://change/%d", id) }

// ParseChangeLink reads a policywatch://change/ID address; ok is false
// for anything else.
func ParseChangeLink(s string) (id int64, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(s), "policywatch://change/")
	if !found {
		return 0, false
	}
	rest = strings.TrimSuffix(rest, "/")
	if _, err := fmt.Sscanf(rest, "%d", &id); err != nil || id <= 0 || fmt.Sprint(id) != rest {
		return 0, false
	}
	return id, true
}

// alertMessage builds the message a delivery sends.
func (s *Service) alertMessage(ctx context.Context, c AlertChannel, d AlertDelivery) (alerts.Message, error) {
	m := alerts.Message{Kind: d.Kind, At: s.now(),
		ID: fmt.Sprintf("policywatch-alert-%d-%d-%d", d.ChannelID, d.ID, d.CreatedAt.UnixMilli())}
	profile, err := s.Profile(ctx)
	if err != nil {
		return m, err
	}
	m.Organisation = profile.Organisation
	switch d.Kind {
	case alerts.KindTest:
		m.Subject = "PolicyWatch test alert"
		m.Intro = fmt.Sprintf("This channel (%s) will receive: %s.", c.Target, c.Rules)
		return m, nil
	case alerts.KindHealth:
		var h alerts.Health
		if err := json.Unmarshal([]byte(d.Detail), &h); err != nil {
			return m, fmt.Errorf("health alert %d is unreadable: %w", d.ID, err)
		}
		m.Health = []alerts.Health{h}
		m.Subject = fmt.Sprintf("PolicyWatch: tracking of %s %s is failing (%s)", h.Platform, strings.ToLower(h.Document), h.Reason)
		m.Intro = fmt.Sprintf("PolicyWatch could not check this document %s in a row.", plural(h.Failures, "time"))
		return m, nil
	}
	var ids []int64
	if err := s.store.View(ctx, func(tx Tx) error {
		var err error
		ids, err = tx.DeliveryChanges(d.ID)
		return err
	}); err != nil {
		return m, err
	}
	for _, id := range ids {
		ch, err := s.alertChange(ctx, c, id)
		if err != nil {
			return m, err
		}
		m.Changes = append(m.Changes, ch)
	}
	sort.SliceStable(m.Changes, func(i, j int) bool {
		return ExposureRank(m.Changes[i].Exposure) > ExposureRank(m.Changes[j].Exposure)
	})
	switch {
	case d.Kind == alerts.KindDigest:
		var since struct{ Since time.Time }
		json.Unmarshal([]byte(d.Detail), &since)
		m.Subject = fmt.Sprintf("PolicyWatch %s digest: %s", c.Rules.Digest, changeCount(m.Changes))
		m.Intro = fmt.Sprintf("%s since %s.", changeCount(m.Changes), since.Since.UTC().Format("Mon 2 Jan 2006 15:04 UTC"))
	case len(m.Changes) == 1:
		ch := m.Changes[0]
		m.Subject = fmt.Sprintf("PolicyWatch: %s %s changed (%s exposure)", ch.Platform, strings.ToLower(ch.Document), ch.Exposure)
	default:
		m.Subject = fmt.Sprintf("PolicyWatch: %s to review", changeCount(m.Changes))
	}
	if c.AttachPDF && c.Kind == ChannelEmail && s.alertOpts.changePDF != nil {
		for _, ch := range m.Changes {
			a, err := s.alertOpts.changePDF(ctx, ch.ID)
			if err != nil {
				return m, fmt.Errorf("make the PDF record of change %d: %w", ch.ID, err)
			}
			m.Attachments = append(m.Attachments, a)
		}
	}
	return m, nil
}

// changeCount reads "3 changes (1 high)".
func changeCount(list []alerts.Change) string {
	high := 0
	for _, c := range list {
		if c.Exposure == ExposureHigh {
			high++
		}
	}
	s := plural(len(list), "change")
	if high > 0 {
		s += fmt.Sprintf(" (%d high)", high)
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func documentTitle(title, kind string) string {
	if title != "" {
		return title
	}
	return KindTitle(kind)
}

// alertChange is one change as a message shows it: the findings the
// channel's rules picked, most exposed first, with citations, and the
// changed sentences of the passages they come from.
func (s *Service) alertChange(ctx context.Context, c AlertChannel, id int64) (alerts.Change, error) {
	d, err := s.Change(ctx, id)
	if err != nil {
		return alerts.Change{}, err
	}
	var doc Document
	if err := s.store.View(ctx, func(tx Tx) error {
		var err error
		doc, err = tx.DocumentByID(d.DocumentID)
		return err
	}); err != nil {
		return alerts.Change{}, err
	}
	out := alerts.Change{ID: d.ID, Link: ChangeLink(d.ID), Platform: d.PlatformName, PlatformSlug: d.PlatformSlug,
		DocumentID: d.DocumentID, Document: documentTitle(doc.Title, d.Kind), Kind: d.Kind, URL: doc.URL,
		DetectedAt: d.DetectedAt, Exposure: d.Exposure, Rationale: d.Record.Rationale, Summary: d.Record.Summary,
		AddedWords: d.AddedWords, RemovedWords: d.RemovedWords}
	findings := pickFindings(c.Rules, d.Record.Findings)
	for i, f := range findings {
		if i == msgFindings {
			out.MoreFindings = len(findings) - msgFindings
			break
		}
		af := alerts.Finding{Category: f.Category, Direction: f.Direction, Exposure: string(f.Exposure), Heading: f.Heading,
			Evidence: clipText(f.Evidence, msgPassageLen), Citations: []alerts.Citation{}}
		for _, j := range f.Jurisdictions {
			if len(c.Rules.Jurisdictions) > 0 && !contains(c.Rules.Jurisdictions, j.Code) {
				continue
			}
			for _, p := range j.Provisions {
				if len(af.Citations) < msgCitations {
					af.Citations = append(af.Citations, alerts.Citation{Jurisdiction: j.Code, Framework: p.Framework,
						Citation: p.Citation, Title: p.Title})
				}
			}
		}
		out.Findings = append(out.Findings, af)
	}
	out.Sentences = changedPassages(d.Record.Hunks, findings)
	return out, nil
}

// pickFindings keeps the findings the rules select (every one when the
// rules name no category or jurisdiction), most exposed first.
func pickFindings(r AlertRules, all []analysis.Finding) []analysis.Finding {
	var out []analysis.Finding
	for _, f := range all {
		if len(r.Categories) > 0 && !contains(r.Categories, f.Category) {
			continue
		}
		if len(r.Jurisdictions) > 0 {
			hit := false
			for _, j := range f.Jurisdictions {
				hit = hit || contains(r.Jurisdictions, j.Code)
			}
			if !hit {
				continue
			}
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool { return ExposureRank(out[i].Exposure) > ExposureRank(out[j].Exposure) })
	return out
}

// changedPassages shows up to msgPassages substantive hunks, those the
// findings come from first, as the sentences that differ before and after.
func changedPassages(hunks []analysis.Hunk, findings []analysis.Finding) []alerts.Sentences {
	var order []int
	used := map[int]bool{}
	for _, f := range findings {
		for i, h := range hunks {
			if used[i] || !h.Substantive {
				continue
			}
			if f.Evidence != "" && (strings.Contains(h.New, firstWords(f.Evidence)) || strings.Contains(h.Old, firstWords(f.Evidence))) {
				used[i] = true
				order = append(order, i)
				break
			}
		}
	}
	for i, h := range hunks {
		if !used[i] && h.Substantive {
			order = append(order, i)
		}
	}
	var out []alerts.Sentences
	for _, i := range order {
		if len(out) == msgPassages {
			break
		}
		h := hunks[i]
		before, after := changedSentences(h.Old, h.New)
		if before == "" && after == "" {
			continue
		}
		out = append(out, alerts.Sentences{Heading: h.Heading, Before: clipText(before, msgPassageLen), After: clipText(after, msgPassageLen)})
	}
	return out
}

// firstWords is the start of an evidence text, enough to find its passage.
func firstWords(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "…"))
	if len(s) > 60 {
		s = s[:60]
		for len(s) > 0 && s[len(s)-1]&0xC0 == 0x80 {
			s = s[:len(s)-1]
		}
		if i := strings.LastIndexByte(s, ' '); i > 20 {
			s = s[:i]
		}
	}
	return s
}

// changedSentences returns the sentences of old that new lacks and the
// sentences of new that old lacks.
func changedSentences(old, new string) (before, after string) {
	os, ns := sentences(old), sentences(new)
	inOld, inNew := map[string]bool{}, map[string]bool{}
	for _, x := range os {
		inOld[x] = true
	}
	for _, x := range ns {
		inNew[x] = true
	}
	var b, a []string
	for _, x := range os {
		if !inNew[x] {
			b = append(b, x)
		}
	}
	for _, x := range ns {
		if !inOld[x] {
			a = append(a, x)
		}
	}
	return strings.Join(b, " "), strings.Join(a, " ")
}

// sentences splits a block into sentences at ". ", "! ", "? " and line
// breaks, trimming space.
func sentences(text string) []string {
	var out []string
	start := 0
	flush := func(end int) {
		if s := strings.Join(strings.Fields(text[start:end]), " "); s != "" {
			out = append(out, s)
		}
		start = end
	}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			flush(i + 1)
		case '.', '!', '?':
			if i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n' {
				flush(i + 1)
			}
		}
	}
	flush(len(text))
	return out
}

// clipText shortens s to about n bytes at a word boundary, marking the cut.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	if i := strings.LastIndexByte(s[:cut], ' '); i > n/2 {
		cut = i
	}
	return strings.TrimSpace(s[:cut]) + " …"
}
