package tracker

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

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
	RefusedVersions int // versions a guard refused (empty, shrunk): see the archive path
	NewChanges      int
	// Dataset is what the dataset says of itself (name, release, commit,
	// and how many files its manifest vouches for); every imported version
	// keeps it as its Origin.
	Dataset ota.Identity
	// Seal says which checkpoint was signed after the import (or why none).
	Seal string
}

// importDoc is one dataset document and its versions, oldest first.
type importDoc struct {
	service, termsType string
	entries            []ota.Entry
}

// ImportOTA imports an Open Terms Archive dataset (folder or .zip): platforms
// and documents (mapped to the catalog where it knows them), every version
// with its original date, and an analysed change for every consecutive pair.
// Versions dated before the monitoring start (see SetMonitoringStart; today
// when it is not set) are history: analysed, but raising no open items.
// Each document is committed in one transaction, so an interrupted import
// leaves whole documents and a re-run finishes the job; re-importing adds
// nothing. A corrupt archive fails before anything is written.
func (s *Service) ImportOTA(ctx context.Context, path string, progress func(ImportProgress)) (ImportSummary, error) {
	var sum ImportSummary
	budgets := s.budgets()
	ds, err := ota.OpenLimited(path, ota.Limits{MaxTotal: budgets.Disk})
	if err != nil {
		return sum, fmt.Errorf("import %s: %w", path, err)
	}
	defer ds.Close()
	refs := ds.Documents()
	if len(refs) == 0 {
		return sum, fmt.Errorf("import %s: no versions found (expected <service>/<terms type>/<YYYY-MM-DDTHH-MM-SSZ>.md files)", path)
	}
	sum.Documents, sum.Versions = len(refs), ds.Len()
	sum.Dataset = ds.Identity()

	// history before the monitoring start (today, unless set) raises no
	// open checklist items
	if err := s.ensureMonitoringStart(ctx); err != nil {
		return sum, err
	}

	// The dataset is read one document at a time, as the workers take
	// them: memory holds the documents being imported, not the dataset.
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	jobs := make(chan *importDoc)
	walkErr := make(chan error, 1)
	go func() {
		defer close(jobs)
		var cur *importDoc
		var held int64
		send := func() error {
			select {
			case jobs <- cur:
				cur, held = nil, 0
				return nil
			case <-wctx.Done():
				return wctx.Err()
			}
		}
		err := ds.Walk(func(e ota.Entry) error {
			if cur != nil && (cur.service != e.Service || cur.termsType != e.TermsType) {
				if err := send(); err != nil {
					return err
				}
			}
			if cur == nil {
				cur = &importDoc{service: e.Service, termsType: e.TermsType}
			}
			if held += int64(len(e.Text) + len(e.Raw)); held > budgets.Memory {
				return fmt.Errorf("%w: the versions of %s / %s add up to more than %d MiB, more than an import holds at once", ota.ErrTooLarge, e.Service, e.TermsType, budgets.Memory>>20)
			}
			cur.entries = append(cur.entries, e)
			return nil
		})
		if err == nil && cur != nil {
			err = send()
		}
		walkErr <- err
	}()

	var mu sync.Mutex
	var firstErr error
	done := 0
	var wg sync.WaitGroup
	for i := 0; i < max(1, runtime.GOMAXPROCS(0)); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				if wctx.Err() != nil {
					continue
				}
				r, err := s.importDocument(wctx, d, sum.Dataset)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
					stop()
				}
				if err == nil {
					sum.NewVersions += r.newVersions
					sum.SkippedVersions += len(d.entries) - r.newVersions - r.refused
					sum.NewChanges += r.newChanges
					sum.RefusedVersions += r.refused
					done++
					if progress != nil {
						progress(ImportProgress{Done: done, Total: len(refs), Platform: r.platform, Kind: r.kind, Versions: r.newVersions})
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := <-walkErr; err != nil && firstErr == nil && !errors.Is(err, context.Canceled) {
		firstErr = fmt.Errorf("import %s: %w", path, err)
	}
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return sum, firstErr
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		return appendAudit(tx, s.now(), s.who(), "dataset.import", "dataset", fmt.Sprintf("%s: %d documents, %d versions (%d new), %d new changes",
			path, sum.Documents, sum.Versions, sum.NewVersions, sum.NewChanges))
	})
	if err == nil {
		sum.Seal = s.seal(ctx)
	}
	return sum, err
}

type importResult struct {
	platform, kind          string
	newVersions, newChanges int
	refused                 int
}

// importDocument imports one document's versions through the archive path:
// the document (and its platform) is created in the same transaction as its
// versions and changes. Each version keeps the file's bytes as its raw
// bytes (so its raw SHA-256 is the file's) and the dataset's identity.
func (s *Service) importDocument(ctx context.Context, d *importDoc, id ota.Identity) (importResult, error) {
	kind := ota.KindForTermsType(d.termsType)
	res := importResult{kind: kind}
	var p Platform
	var doc Document
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		p, doc, err = s.resolveImportTarget(tx, d.service, d.termsType, kind)
		return err
	})
	if err != nil {
		return res, fmt.Errorf("import %s %s: %w", d.service, d.termsType, err)
	}
	res.platform = p.Slug
	candidates := make([]Version, 0, len(d.entries))
	for _, e := range d.entries {
		text := extract.Normalize(e.Text)
		commit := e.Commit
		if commit == "" {
			commit = id.Commit
		}
		candidates = append(candidates, Version{FetchedAt: e.FetchedAt, URL: doc.URL, ContentType: "text/markdown",
			Text: text, Raw: e.Raw, StatedDate: extract.StatedDate(text), Source: SourceImport,
			Origin: Origin{Dataset: id.Name, Release: id.Release, Commit: commit, File: e.Path}})
	}
	out, err := s.archive(ctx, archiveRequest{doc: doc, platform: p, candidates: candidates, fillGaps: true,
		ensure: func(tx Tx, doc *Document) error {
			if err := s.ensureImportTarget(tx, &p, doc); err != nil {
				return err
			}
			res.platform = p.Slug
			return nil
		}})
	if err != nil {
		return res, fmt.Errorf("import %s %s: %w", d.service, d.termsType, err)
	}
	res.newVersions, res.newChanges, res.refused = len(out.Added), len(out.Changes), len(out.Refused)
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
				doc = Document{PlatformID: p.ID, Kind: kind, Title: cd.Title, URL: cd.URL, Select: cd.Select, Remove: cd.Remove,
					Render: cd.Render, Tracked: true}
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
