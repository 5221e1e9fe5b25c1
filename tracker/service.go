package tracker

import (
	"context"
	"errors"
	"fmt"
	"os/user"
	"strings"
	"sync"
	"time"
	"unicode"

	"policywatch/tracker/analysis"
	"policywatch/tracker/extract"
	"policywatch/tracker/fetch"
	"policywatch/tracker/render"
)

// Service is the API the GUI and the CLI call. It holds the business rules;
// the store holds the data.
type Service struct {
	store   Store
	catalog *Catalog
	now     func() time.Time
	rules   *analysis.Rules
	version string

	fetcher    Fetcher
	fetchOnce  sync.Once
	guard      *fetch.Guard
	browser    *render.Browser // shared by every capture when set
	renderOpts render.Options
	budgetOpts Budgets

	// Who acts: an actor set by WithActor, else the reviewer identity saved
	// for this account, else the account's name. The account is the OS
	// account, or the database role a team archive signed in as.
	osUser        string
	access        Access // what the account may do (access.go)
	explicitActor string
	idMu          sync.RWMutex
	identity      Identity

	secrets    SecretStore // where the signing key and alert channels' secrets are kept
	alertOpts  alertConfig
	dispatchMu sync.Mutex // one DispatchAlerts at a time in this process
}

// Option configures a Service.
type Option func(*Service)

// WithClock replaces the wall clock, for deterministic tests and reports.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithVersion sets the app version named in the User-Agent and reports.
func WithVersion(v string) Option { return func(s *Service) { s.version = v } }

// AppVersion returns the app version the service was built with.
func (s *Service) AppVersion() string { return s.version }

// WithActor names who the audit log records as acting, over the reviewer
// identity of the profile and the OS account.
func WithActor(actor string) Option { return func(s *Service) { s.explicitActor = actor } }

// NewService returns a service over store with the built-in catalog. It
// seeds catalog platforms missing from the store (unless the signed-in
// database role may only read it).
func NewService(ctx context.Context, store Store, catalog *Catalog, opts ...Option) (*Service, error) {
	s := &Service{store: store, catalog: catalog, now: time.Now, osUser: currentUser()}
	for _, o := range opts {
		o(s)
	}
	if catalog == nil {
		s.catalog = &Catalog{}
	}
	if err := s.loadAccess(ctx); err != nil {
		return nil, err
	}
	if err := s.startEvidence(ctx); err != nil {
		return nil, fmt.Errorf("start the evidence log: %w", err)
	}
	if err := s.loadIdentity(ctx); err != nil {
		return nil, err
	}
	if s.access.Edit {
		if err := s.seedCatalog(ctx); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Store returns the service's store.
func (s *Service) Store() Store { return s.store }

// Catalog returns the built-in catalog.
func (s *Service) Catalog() *Catalog { return s.catalog }

// Now returns the service clock's current time.
func (s *Service) Now() time.Time { return s.now() }

func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "user"
}

// seedCatalog inserts catalog platforms and documents the store lacks, untracked.
func (s *Service) seedCatalog(ctx context.Context) error {
	return s.store.Update(ctx, func(tx Tx) error {
		for _, cp := range s.catalog.Platforms {
			p, err := tx.PlatformBySlug(cp.Slug)
			if errors.Is(err, ErrNotFound) {
				p = cp.platform()
				p.CreatedAt = s.now()
				if err := tx.UpsertPlatform(&p); err != nil {
					return err
				}
			} else if err != nil {
				return err
			}
			for _, cd := range cp.Documents {
				if _, err := tx.FindDocument(p.ID, cd.Kind, cd.URL); err == nil {
					continue
				} else if !errors.Is(err, ErrNotFound) {
					return err
				}
				d := Document{PlatformID: p.ID, Kind: cd.Kind, Title: cd.Title, URL: cd.URL,
					Select: cd.Select, Remove: cd.Remove, Render: cd.Render, CreatedAt: s.now()}
				if err := tx.InsertDocument(&d); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Platforms lists every platform (catalog, imported and custom) with counts.
func (s *Service) Platforms(ctx context.Context) ([]PlatformSummary, error) {
	var out []PlatformSummary
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.ListPlatforms()
		return err
	})
	return out, err
}

// Platform returns a platform and its documents.
func (s *Service) Platform(ctx context.Context, slug string) (Platform, []Document, error) {
	var p Platform
	var docs []Document
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if p, err = tx.PlatformBySlug(slug); err != nil {
			return unknownPlatform(slug, err)
		}
		docs, err = tx.PlatformDocuments(p.ID)
		return err
	})
	return p, docs, err
}

func unknownPlatform(slug string, err error) error {
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("no platform %q: run `policywatch platforms` to list them: %w", slug, ErrNotFound)
	}
	return err
}

// SetTracked tracks or untracks every document of a platform with a URL and
// records it in the audit log. It returns how many documents changed state.
func (s *Service) SetTracked(ctx context.Context, slug string, tracked bool) (int, error) {
	n := 0
	err := s.store.Update(ctx, func(tx Tx) error {
		p, err := tx.PlatformBySlug(slug)
		if err != nil {
			return unknownPlatform(slug, err)
		}
		docs, err := tx.PlatformDocuments(p.ID)
		if err != nil {
			return err
		}
		for _, d := range docs {
			if CheckURL(d.URL) != nil || d.Tracked == tracked {
				continue
			}
			d.Tracked = tracked
			if err := tx.UpdateDocument(d); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return nil
		}
		action := "platform.track"
		if !tracked {
			action = "platform.untrack"
		}
		return appendAudit(tx, s.now(), s.who(), action, "platform:"+slug, fmt.Sprintf("%d document(s)", n))
	})
	return n, err
}

// SetDocumentTracked tracks or untracks one document.
func (s *Service) SetDocumentTracked(ctx context.Context, docID int64, tracked bool) error {
	return s.store.Update(ctx, func(tx Tx) error {
		d, err := tx.DocumentByID(docID)
		if err != nil {
			return err
		}
		if d.Tracked == tracked {
			return nil
		}
		if tracked && CheckURL(d.URL) != nil {
			return fmt.Errorf("document %d has no web address to check (%q); add one first", docID, d.URL)
		}
		d.Tracked = tracked
		if err := tx.UpdateDocument(d); err != nil {
			return err
		}
		action := "document.track"
		if !tracked {
			action = "document.untrack"
		}
		return appendAudit(tx, s.now(), s.who(), action, fmt.Sprintf("document:%d", docID), d.URL)
	})
}

// NewDocument describes a custom document to add.
type NewDocument struct {
	PlatformName string
	URL          string
	Kind         string // default "other"
	Title        string
	Select       string
	Remove       string
	Render       string // auto (default), http or browser
}

// invalidRender is the error of an unknown render mode.
func invalidRender(m string) error {
	return fmt.Errorf("unknown render mode %q (one of %s)", m, strings.Join(RenderModes, ", "))
}

// checkSelectorPair rejects an invalid select or remove setting before it
// is saved, so that a typo is reported now rather than at the next check.
func checkSelectorPair(selectCSS, removeCSS string) error {
	if err := extract.CheckSelectors(selectCSS); err != nil {
		return fmt.Errorf("select: %w", err)
	}
	if err := extract.CheckSelectors(removeCSS); err != nil {
		return fmt.Errorf("remove: %w", err)
	}
	return nil
}

// AddDocument creates the platform (or reuses the one of that name), adds the
// document, tracks it and returns the new document's id.
func (s *Service) AddDocument(ctx context.Context, nd NewDocument) (int64, error) {
	nd.PlatformName = strings.TrimSpace(nd.PlatformName)
	if nd.PlatformName == "" {
		return 0, errors.New("a platform name is required")
	}
	if err := CheckURL(nd.URL); err != nil {
		return 0, err
	}
	if nd.Kind == "" {
		nd.Kind = KindOther
	}
	if !ValidKind(nd.Kind) {
		return 0, fmt.Errorf("unknown document kind %q (one of %s)", nd.Kind, strings.Join(Kinds, ", "))
	}
	if nd.Title == "" {
		nd.Title = KindTitle(nd.Kind)
	}
	if err := checkSelectorPair(nd.Select, nd.Remove); err != nil {
		return 0, err
	}
	if !ValidRender(nd.Render) {
		return 0, invalidRender(nd.Render)
	}
	if nd.Render == "" {
		nd.Render = RenderAuto
	}
	var id int64
	err := s.store.Update(ctx, func(tx Tx) error {
		p, err := tx.PlatformByName(nd.PlatformName)
		if errors.Is(err, ErrNotFound) {
			p, err = tx.PlatformBySlug(Slugify(nd.PlatformName))
		}
		if errors.Is(err, ErrNotFound) {
			p = Platform{Slug: Slugify(nd.PlatformName), Name: nd.PlatformName, Category: "custom", Custom: true, CreatedAt: s.now()}
			if err := tx.UpsertPlatform(&p); err != nil {
				return err
			}
			if err := appendAudit(tx, s.now(), s.who(), "platform.add", "platform:"+p.Slug, p.Name); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		d, err := tx.FindDocument(p.ID, nd.Kind, nd.URL)
		switch {
		case err == nil:
			d.Tracked, d.Select, d.Remove, d.Render = true, nd.Select, nd.Remove, nd.Render
			if err := tx.UpdateDocument(d); err != nil {
				return err
			}
		case errors.Is(err, ErrNotFound):
			d = Document{PlatformID: p.ID, Kind: nd.Kind, Title: nd.Title, URL: nd.URL, Select: nd.Select,
				Remove: nd.Remove, Render: nd.Render, Tracked: true, CreatedAt: s.now()}
			if err := tx.InsertDocument(&d); err != nil {
				return err
			}
		default:
			return err
		}
		id = d.ID
		return appendAudit(tx, s.now(), s.who(), "document.add", fmt.Sprintf("document:%d", d.ID),
			fmt.Sprintf("%s %s %s select=%q remove=%q render=%s", p.Slug, d.Kind, d.URL, d.Select, d.Remove, d.Render))
	})
	return id, err
}

// UpdateSelectors changes a document's select/remove selectors (audit-logged).
func (s *Service) UpdateSelectors(ctx context.Context, docID int64, selectCSS, removeCSS string) error {
	return s.UpdateCapture(ctx, docID, selectCSS, removeCSS, "")
}

// UpdateCapture changes how a document is captured: its select/remove
// selectors and its render mode ("" keeps the mode). It is audit-logged, and
// the next check fetches and extracts the page in full.
func (s *Service) UpdateCapture(ctx context.Context, docID int64, selectCSS, removeCSS, render string) error {
	if err := checkSelectorPair(selectCSS, removeCSS); err != nil {
		return err
	}
	if !ValidRender(render) {
		return invalidRender(render)
	}
	return s.store.Update(ctx, func(tx Tx) error {
		d, err := tx.DocumentByID(docID)
		if err != nil {
			return err
		}
		if render == "" {
			render = d.Render
		}
		d.Select, d.Remove, d.Render = selectCSS, removeCSS, render
		d.ETag, d.LastModified, d.RawSHA256 = "", "", "" // the next check must fetch and extract the page in full
		d.Churn = nil                                    // the next check judges the new settings afresh
		if err := tx.UpdateDocument(d); err != nil {
			return err
		}
		return appendAudit(tx, s.now(), s.who(), "document.selectors", fmt.Sprintf("document:%d", docID),
			fmt.Sprintf("select=%q remove=%q render=%s", selectCSS, removeCSS, d.Render))
	})
}

// Documents lists documents that are tracked or have versions.
func (s *Service) Documents(ctx context.Context, platformSlug string) ([]DocumentSummary, error) {
	var out []DocumentSummary
	err := s.store.View(ctx, func(tx Tx) error {
		if platformSlug != "" {
			if _, err := tx.PlatformBySlug(platformSlug); err != nil {
				return unknownPlatform(platformSlug, err)
			}
		}
		var err error
		out, err = tx.ListDocuments(DocumentFilter{PlatformSlug: platformSlug, TrackedOrArchived: true})
		return err
	})
	return out, err
}

// History is a document's versions and check events, oldest first.
type History struct {
	Document DocumentSummary
	Versions []VersionInfo
	Checks   []CheckEvent
}

// DocumentHistory returns a document's versions and check events.
func (s *Service) DocumentHistory(ctx context.Context, docID int64) (History, error) {
	var h History
	err := s.store.View(ctx, func(tx Tx) error {
		d, err := tx.DocumentByID(docID)
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				return fmt.Errorf("no document %d: run `policywatch documents` to list them: %w", docID, ErrNotFound)
			}
			return err
		}
		p, err := tx.PlatformByID(d.PlatformID)
		if err != nil {
			return err
		}
		h.Document = DocumentSummary{Document: d, PlatformSlug: p.Slug, PlatformName: p.Name}
		if h.Versions, err = tx.ListVersions(docID); err != nil {
			return err
		}
		h.Document.Versions = len(h.Versions)
		if h.Checks, err = tx.ListCheckEvents(docID); err != nil {
			return err
		}
		if n := len(h.Checks); n > 0 {
			h.Document.LastCheck = &h.Checks[n-1]
		}
		return nil
	})
	return h, err
}

// Version returns one archived version with its text and raw bytes.
func (s *Service) Version(ctx context.Context, id int64) (Version, error) {
	var v Version
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		v, err = tx.VersionByID(id)
		return err
	})
	return v, err
}

// Profile returns the organisation profile.
func (s *Service) Profile(ctx context.Context) (Profile, error) {
	var p Profile
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		p, err = tx.Profile()
		return err
	})
	return p, err
}

// SetProfile validates and saves the organisation profile (audit-logged).
func (s *Service) SetProfile(ctx context.Context, p Profile) error {
	seen := map[string]bool{}
	var codes []string
	for _, c := range p.Jurisdictions {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == "" || seen[c] {
			continue
		}
		if !ValidJurisdiction(c) {
			return fmt.Errorf("unknown jurisdiction %q (one of %s)", c, strings.Join(Jurisdictions, ", "))
		}
		seen[c] = true
		codes = append(codes, c)
	}
	p.Jurisdictions = codes
	if p.Role == "" {
		p.Role = "controller"
	}
	if !contains(Roles, p.Role) {
		return fmt.Errorf("unknown role %q (one of %s)", p.Role, strings.Join(Roles, ", "))
	}
	return s.store.Update(ctx, func(tx Tx) error {
		if err := tx.SaveProfile(p); err != nil {
			return err
		}
		return appendAudit(tx, s.now(), s.who(), "profile.set", "profile", p.String())
	})
}

// String describes the profile in one line, as the audit log records it.
func (p Profile) String() string {
	j := strings.Join(p.Jurisdictions, ",")
	if j == "" {
		j = "(all)"
	}
	return fmt.Sprintf("organisation=%q jurisdictions=%s children=%t health=%t financial=%t advertises=%t role=%s b2b=%t",
		p.Organisation, j, p.ServesChildren, p.HealthData, p.FinancialData, p.Advertises, p.Role, p.B2BNegotiated)
}

// Setting returns an app setting stored in the archive ("" when unset).
func (s *Service) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		v, err = tx.Setting(key)
		return err
	})
	return v, err
}

// SetSetting stores an app setting (audit-logged).
func (s *Service) SetSetting(ctx context.Context, key, value string) error {
	return s.store.Update(ctx, func(tx Tx) error {
		if err := tx.SetSetting(key, value); err != nil {
			return err
		}
		return appendAudit(tx, s.now(), s.who(), "setting.set", "setting:"+key, value)
	})
}

// Backup writes a consistent copy of the archive to dest (audit-logged).
func (s *Service) Backup(ctx context.Context, dest string) error {
	if err := s.store.Backup(ctx, dest); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		return appendAudit(tx, s.now(), s.who(), "archive.backup", "archive", dest)
	})
}

// RecordCopy logs that the archive was copied, whole and checked, to dest
// (`policywatch migrate`); dest names the copy without secrets.
func (s *Service) RecordCopy(ctx context.Context, dest string) error {
	return s.store.Update(ctx, func(tx Tx) error {
		return appendAudit(tx, s.now(), s.who(), "archive.copy", "archive", dest)
	})
}

// KindTitle turns a kind id into a title: "privacy-policy" → "Privacy policy".
func KindTitle(kind string) string {
	t := strings.ReplaceAll(kind, "-", " ")
	if t == "" {
		return t
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

// Slugify turns a name into a lowercase, hyphenated slug.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
