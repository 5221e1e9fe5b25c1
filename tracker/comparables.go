package tracker

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"policywatch/tracker/analysis"
)

// Comparable is how another tracked platform's latest archived document
// treats one category of a change: the "how other tracked platforms handle
// this" part of an analysis record. The version fields cite the evidence.
type Comparable struct {
	// Category is the DESIGN category id of the change's finding.
	Category string
	// PlatformSlug and PlatformName identify the other platform.
	PlatformSlug string
	PlatformName string
	// Kind is the kind of the document quoted.
	Kind string
	// DocumentID and VersionID identify the archived version quoted.
	DocumentID int64
	VersionID  int64
	// FetchedAt and SHA256 are the quoted version's, as evidence.
	FetchedAt time.Time
	SHA256    string
	// Excerpts are sentences of that version stating the category's
	// practice (see analysis.Mentions), in document order.
	Excerpts []string
}

// Comparables returns, for each category of a change's findings, how the
// other platforms of the archive treat it: for every other platform with a
// tracked or archived document, the latest version of its document of the
// same kind as the changed one is searched first, then its other documents
// (in Kinds order); the first that mentions the category gives one
// Comparable with up to perPlatform excerpts (values below 1 mean 1).
// Platforms that mention a category nowhere are left out.
//
// The result is ordered by category (in the order the change's findings
// first name them), then platform name, then kind. A change without
// findings, or a service without rules, gives none. Every call reads which
// versions are the latest; what analysis.Mentions found in a version's text
// is kept in memory by the text's SHA-256 (archived versions never change),
// so a report calling this for many changes reads and scans each text once.
func (s *Service) Comparables(ctx context.Context, changeID int64, perPlatform int) ([]Comparable, error) {
	if perPlatform < 1 {
		perPlatform = 1
	}
	var (
		change ChangeSummary
		cats   []string
		docs   []DocumentSummary
	)
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if change, _, err = tx.ChangeByID(changeID); err != nil {
			if errors.Is(err, ErrNotFound) {
				return fmt.Errorf("no change %d: %w", changeID, ErrNotFound)
			}
			return err
		}
		findings, err := tx.ListFindings(changeID)
		if err != nil {
			return err
		}
		for _, f := range findings {
			if !contains(cats, f.Category) {
				cats = append(cats, f.Category)
			}
		}
		docs, err = tx.ListDocuments(DocumentFilter{TrackedOrArchived: true})
		return err
	})
	if err != nil || len(cats) == 0 || s.rules == nil {
		return nil, err
	}

	// other platforms' documents with versions, the changed kind first
	byPlatform := map[string][]DocumentSummary{}
	var slugs []string
	for _, d := range docs {
		if d.PlatformSlug == change.PlatformSlug || d.Versions == 0 {
			continue
		}
		if _, ok := byPlatform[d.PlatformSlug]; !ok {
			slugs = append(slugs, d.PlatformSlug)
		}
		byPlatform[d.PlatformSlug] = append(byPlatform[d.PlatformSlug], d)
	}
	kindRank := func(k string) int {
		if k == change.Kind {
			return -1
		}
		for i, kk := range Kinds {
			if kk == k {
				return i
			}
		}
		return len(Kinds)
	}

	var out []Comparable
	for _, slug := range slugs {
		pdocs := byPlatform[slug]
		sort.SliceStable(pdocs, func(i, j int) bool {
			if ri, rj := kindRank(pdocs[i].Kind), kindRank(pdocs[j].Kind); ri != rj {
				return ri < rj
			}
			return pdocs[i].ID < pdocs[j].ID
		})
		remaining := append([]string(nil), cats...)
		for _, d := range pdocs {
			if len(remaining) == 0 {
				break
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			latest, found, err := s.latestMentions(ctx, d.ID, remaining, perPlatform)
			if err != nil {
				return nil, err
			}
			var left []string
			for _, c := range remaining {
				ex := found[c]
				if len(ex) == 0 {
					left = append(left, c)
					continue
				}
				out = append(out, Comparable{Category: c, PlatformSlug: d.PlatformSlug, PlatformName: d.PlatformName,
					Kind: d.Kind, DocumentID: d.ID, VersionID: latest.ID, FetchedAt: latest.FetchedAt, SHA256: latest.SHA256,
					Excerpts: append([]string(nil), ex...)})
			}
			remaining = left
		}
	}

	catRank := map[string]int{}
	for i, c := range cats {
		catRank[c] = i
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Category != b.Category {
			return catRank[a.Category] < catRank[b.Category]
		}
		if an, bn := strings.ToLower(a.PlatformName), strings.ToLower(b.PlatformName); an != bn {
			return an < bn
		}
		if a.PlatformSlug != b.PlatformSlug {
			return a.PlatformSlug < b.PlatformSlug
		}
		if ra, rb := kindRank(a.Kind), kindRank(b.Kind); ra != rb {
			return ra < rb
		}
		return a.DocumentID < b.DocumentID
	})
	return out, nil
}

// latestMentions returns a document's latest version and, for each of the
// categories, what analysis.Mentions finds in its text (nil when nothing),
// reading and scanning the text only for categories not yet cached.
func (s *Service) latestMentions(ctx context.Context, docID int64, cats []string, per int) (VersionInfo, map[string][]string, error) {
	var latest VersionInfo
	err := s.store.View(ctx, func(tx Tx) error {
		vs, err := tx.ListVersions(docID)
		if err != nil {
			return err
		}
		if len(vs) > 0 {
			latest = vs[len(vs)-1] // the order of LatestVersion: fetched_at, then id
		}
		return nil
	})
	if err != nil || latest.ID == 0 {
		return latest, nil, err
	}
	found := map[string][]string{}
	if latest.SHA256 == "" { // no name for the text: nothing cached
		v, err := s.versionText(ctx, latest.ID)
		if err != nil {
			return latest, nil, err
		}
		return latest, analysis.Mentions(v, s.rules, cats, per), nil
	}
	var missing []string
	mentionCache.Lock()
	for _, c := range cats {
		ex, ok := mentionCache.m[mentionKey{s.rules, latest.SHA256, per, c}]
		if !ok {
			missing = append(missing, c)
		}
		found[c] = ex
	}
	mentionCache.Unlock()
	if len(missing) == 0 {
		return latest, found, nil
	}
	text, err := s.versionText(ctx, latest.ID)
	if err != nil {
		return latest, nil, err
	}
	got := analysis.Mentions(text, s.rules, missing, per)
	mentionCache.Lock()
	defer mentionCache.Unlock()
	if mentionCache.m == nil || len(mentionCache.m) > mentionCacheMax {
		mentionCache.m = map[mentionKey][]string{}
	}
	for _, c := range missing {
		found[c] = got[c]
		mentionCache.m[mentionKey{s.rules, latest.SHA256, per, c}] = got[c]
	}
	return latest, found, nil
}

func (s *Service) versionText(ctx context.Context, id int64) (string, error) {
	var v Version
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		v, err = tx.VersionByID(id)
		return err
	})
	return v.Text, err
}

// mentionKey identifies what analysis.Mentions found for one category in
// one text (by its SHA-256) under one set of rules and limit.
type mentionKey struct {
	rules    *analysis.Rules
	sha256   string
	per      int
	category string
}

// mentionCacheMax bounds the cache; it is emptied when it grows past it.
const mentionCacheMax = 100000

// mentionCache holds Mentions results across calls and services. Archived
// texts never change and a text's hash names it, so an entry is never stale.
var mentionCache struct {
	sync.Mutex
	m map[mentionKey][]string
}
