package tracker

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"time"

	"policywatch/tracker/analysis"
	"policywatch/tracker/extract"
	"policywatch/tracker/ota"
)

// ImportProgress reports one imported document of an Open Terms Archive dataset.
type ImportProgress struct {
	Done, Total int    // documents
	Platform    string // platform slug
	Kind        string
	Versions    int // versions added for this document
}

// ImportSummary counts what an import added.
type ImportSummary struct {
	Documents       int // documents in the dataset
	Versions        int // versions in the dataset
	NewVersions     int // versions added (0 on a re-import)
	SkippedVersions int // versions already archived or identical to the one before
	NewChanges      int
}

// importDoc is one dataset document and its versions, oldest first.
type importDoc struct {
	service, termsType string
	entries            []ota.Entry
}

// ImportOTA imports an Open Terms Archive dataset (folder or .zip): platforms
// and documents (mapped to the catalog where it knows them), every version
// with its original date, and an analysed change for every consecutive pair.
// Each document is committed in one transaction, so an interrupted import
// leaves whole documents and a re-run finishes the job; re-importing adds
// nothing. A corrupt archive fails before anything is written.
func (s *Service) ImportOTA(ctx context.Context, path string, progress func(ImportProgress)) (ImportSummary, error) {
	var sum ImportSummary
	ds, err := ota.Open(path)
	if err != nil {
		return sum, fmt.Errorf("import %s: %w", path, err)
	}
	defer ds.Close()
	var docs []*importDoc
	err = ds.Walk(func(e ota.Entry) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if n := len(docs); n == 0 || docs[n-1].service != e.Service || docs[n-1].termsType != e.TermsType {
			docs = append(docs, &importDoc{service: e.Service, termsType: e.TermsType})
		}
		d := docs[len(docs)-1]
		d.entries = append(d.entries, e)
		sum.Versions++
		return nil
	})
	if err != nil {
		return sum, fmt.Errorf("import %s: %w", path, err)
	}
	if len(docs) == 0 {
		return sum, fmt.Errorf("import %s: no versions found (expected <service>/<terms type>/<YYYY-MM-DDTHH-MM-SSZ>.md files)", path)
	}
	sum.Documents = len(docs)

	var mu sync.Mutex
	var firstErr error
	done := 0
	jobs := make(chan *importDoc)
	var wg sync.WaitGroup
	for i := 0; i < max(1, runtime.GOMAXPROCS(0)); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				r, err := s.importDocument(ctx, d)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if err == nil {
					sum.NewVersions += r.newVersions
					sum.SkippedVersions += len(d.entries) - r.newVersions
					sum.NewChanges += r.newChanges
					done++
					if progress != nil {
						progress(ImportProgress{Done: done, Total: len(docs), Platform: r.platform, Kind: r.kind, Versions: r.newVersions})
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, d := range docs {
		if ctx.Err() != nil {
			break
		}
		jobs <- d
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return sum, firstErr
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		return appendAudit(tx, s.now(), s.actor, "dataset.import", "dataset", fmt.Sprintf("%s: %d documents, %d versions (%d new), %d new changes",
			path, sum.Documents, sum.Versions, sum.NewVersions, sum.NewChanges))
	})
	return sum, err
}

type importResult struct {
	platform, kind          string
	newVersions, newChanges int
}

// preparedVersion is a dataset version normalised and hashed.
type preparedVersion struct {
	Version
	existing bool
}

// importDocument imports one document: it works out what is missing, analyses
// the missing pairs outside any transaction, then writes all in one.
func (s *Service) importDocument(ctx context.Context, d *importDoc) (importResult, error) {
	kind := ota.KindForTermsType(d.termsType)
	res := importResult{kind: kind}
	var p Platform
	var doc Document
	var profile Profile
	var all []preparedVersion // existing and new, oldest first
	var needPairs [][2]int
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if profile, err = tx.Profile(); err != nil {
			return err
		}
		p, doc, err = s.resolveImportTarget(tx, d.service, d.termsType, kind)
		if err != nil {
			return err
		}
		existing := map[time.Time]VersionInfo{}
		if doc.ID != 0 {
			vs, err := tx.ListVersions(doc.ID)
			if err != nil {
				return err
			}
			for _, v := range vs {
				existing[v.FetchedAt] = v
				all = append(all, preparedVersion{Version: Version{ID: v.ID, DocumentID: v.DocumentID, FetchedAt: v.FetchedAt,
					SHA256: v.SHA256, StatedDate: v.StatedDate, Source: v.Source, URL: v.URL}, existing: true})
			}
		}
		for _, e := range d.entries {
			at := e.FetchedAt.UTC().Truncate(time.Millisecond)
			if _, ok := existing[at]; ok {
				continue
			}
			text := extract.Normalize(e.Text)
			if len(text) == 0 {
				continue // an empty capture is never a version
			}
			all = append(all, preparedVersion{Version: Version{FetchedAt: at, URL: doc.URL, ContentType: "text/markdown",
				SHA256: extract.Hash(text), Text: text, Raw: []byte(e.Text), StatedDate: extract.StatedDate(text), Source: "import"}})
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].FetchedAt.Before(all[j].FetchedAt) })
		// Drop a new version identical to the one before it: not a change.
		kept := all[:0]
		for _, v := range all {
			if !v.existing && len(kept) > 0 && kept[len(kept)-1].SHA256 == v.SHA256 {
				continue
			}
			kept = append(kept, v)
		}
		all = kept
		for i := 1; i < len(all); i++ {
			if all[i-1].existing && all[i].existing {
				if _, err := tx.ChangeForPair(all[i-1].ID, all[i].ID); err == nil {
					continue
				} else if !errors.Is(err, ErrNotFound) {
					return err
				}
			}
			needPairs = append(needPairs, [2]int{i - 1, i})
		}
		// Load the text of existing versions that take part in a missing pair.
		for _, pr := range needPairs {
			for _, k := range pr {
				if all[k].existing && all[k].Text == "" {
					v, err := tx.VersionByID(all[k].ID)
					if err != nil {
						return err
					}
					all[k].Text = v.Text
				}
			}
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("import %s %s: %w", d.service, d.termsType, err)
	}
	res.platform = p.Slug
	results := make([]analysis.Result, len(needPairs))
	opts := s.analysisOptions(p, profile)
	for i, pr := range needPairs {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		results[i] = analysis.Analyze(all[pr[0]].Text, all[pr[1]].Text, opts)
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := s.ensureImportTarget(tx, &p, &doc); err != nil {
			return err
		}
		res.platform = p.Slug
		for i := range all {
			if all[i].existing {
				continue
			}
			all[i].DocumentID = doc.ID
			if err := tx.InsertVersion(&all[i].Version); err != nil {
				return err
			}
			res.newVersions++
		}
		for i, pr := range needPairs {
			from, to := all[pr[0]], all[pr[1]]
			if _, err := s.saveAnalysis(tx, doc.ID, versionInfo(from.Version), versionInfo(to.Version), to.FetchedAt, results[i]); err != nil {
				return err
			}
			res.newChanges++
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("import %s %s: %w", d.service, d.termsType, err)
	}
	return res, nil
}

// resolveImportTarget finds the platform and document a dataset document maps
// to. A zero Document.ID (or Platform.ID) means it must be created, as
// described by the returned values; a catalog document comes back Tracked.
func (s *Service) resolveImportTarget(tx Tx, service, termsType, kind string) (Platform, Document, error) {
	var p Platform
	var err error
	cp, inCatalog := s.catalog.ForOTAName(service)
	if inCatalog {
		p, err = tx.PlatformBySlug(cp.Slug)
		if errors.Is(err, ErrNotFound) {
			p, err = cp.platform(), nil
		}
	} else {
		p, err = tx.PlatformByName(service)
		if errors.Is(err, ErrNotFound) {
			p, err = tx.PlatformBySlug(ota.Slug(service))
		}
		if errors.Is(err, ErrNotFound) {
			p, err = Platform{Slug: ota.Slug(service), Name: service, Category: "imported", Custom: true}, nil
		}
	}
	if err != nil {
		return p, Document{}, err
	}
	doc := Document{PlatformID: p.ID, Kind: kind, Title: termsType, URL: otaDocumentURL(service, termsType)}
	if inCatalog {
		for _, cd := range cp.Documents {
			if cd.Kind == kind {
				doc = Document{PlatformID: p.ID, Kind: kind, Title: cd.Title, URL: cd.URL, Select: cd.Select, Remove: cd.Remove, Tracked: true}
				break
			}
		}
	}
	if p.ID != 0 {
		found, err := tx.FindDocument(p.ID, doc.Kind, doc.URL)
		if err == nil {
			found.Tracked = found.Tracked || doc.Tracked
			return p, found, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return p, doc, err
		}
	}
	return p, doc, nil
}

// ensureImportTarget creates the platform and document resolveImportTarget
// described, or saves an existing document's tracked state.
func (s *Service) ensureImportTarget(tx Tx, p *Platform, doc *Document) error {
	if doc.ID != 0 {
		return tx.UpdateDocument(*doc)
	}
	if p.ID == 0 {
		if existing, err := tx.PlatformBySlug(p.Slug); err == nil {
			*p = existing
		} else {
			p.CreatedAt = s.now()
			if err := tx.UpsertPlatform(p); err != nil {
				return err
			}
		}
	}
	doc.PlatformID = p.ID
	if found, err := tx.FindDocument(p.ID, doc.Kind, doc.URL); err == nil {
		found.Tracked = found.Tracked || doc.Tracked
		*doc = found
		return tx.UpdateDocument(found)
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	doc.CreatedAt = s.now()
	return tx.InsertDocument(doc)
}

// otaDocumentURL identifies an imported document that has no catalog URL; it
// is not an http(s) URL, so the document cannot be tracked until one is set.
func otaDocumentURL(service, termsType string) string {
	return "ota:" + service + "/" + termsType
}
