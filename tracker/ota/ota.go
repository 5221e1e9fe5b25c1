// Package ota reads Open Terms Archive datasets: a folder or a .zip laid out
// as <service>/<terms type>/<YYYY-MM-DDTHH-MM-SSZ>.md, one Markdown file per
// recorded version, named by the UTC time the archive fetched it. The layout
// may sit under one top folder (as in a dataset export, "dataset/…", or a
// "<collection>-versions/…" checkout); any other file (LICENSE,
// declarations, hidden files) is ignored, except what names the dataset
// (Identity): its README.md title, an export name such as
// "dataset-2024-01-01-abc1234", and a manifest.json listing each version
// file's SHA-256 and source commit (the layout of the PolicyWatch test
// corpus).
//
// Open validates the whole dataset before returning: every version file of a
// zip is read and its checksum verified, so a truncated or corrupt archive
// fails in Open, before the caller has written anything.
package ota

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TimeLayout is the layout of a version's file name, without ".md".
const TimeLayout = "2006-01-02T15-04-05Z"

// Entry is one recorded version of a document.
type Entry struct {
	// Service is the service id as the archive names it ("Google").
	Service string
	// TermsType is the Open Terms Archive terms type ("Privacy Policy").
	TermsType string
	// FetchedAt is when the archive fetched this version (UTC).
	FetchedAt time.Time
	// Path is the file's path inside the dataset, with "/" separators.
	Path string
	// Text is the file's content, as stored (not normalised), without a
	// leading byte-order mark.
	Text string
	// Raw is the file's bytes exactly; SHA256 is their hex SHA-256.
	Raw    []byte
	SHA256 string
	// Commit is the versions repository commit that recorded the file,
	// "<repository>@<commit>", when the dataset's manifest vouches for it.
	Commit string
}

// DocumentRef names one document of the dataset and its number of versions.
type DocumentRef struct {
	Service   string
	TermsType string
	Count     int
}

// Dataset is an opened, validated dataset. Close it when done.
type Dataset struct {
	root    string // folder, when not a zip
	zr      *zip.ReadCloser
	files   map[string]*zip.File
	entries []Entry // sorted, Text and Raw empty
	limits  Limits

	identity Identity
}

// Limits bound what a dataset may make its reader hold: a version file
// larger than MaxFile, or files adding up to more than MaxTotal, fail Open
// with an error wrapping ErrTooLarge, before anything is imported (a zip of
// a few megabytes can inflate to gigabytes).
type Limits struct {
	MaxFile  int64 // default 20 MiB, the largest page a check fetches
	MaxTotal int64 // default 1 GiB
}

// Default limits.
const (
	DefaultMaxFile  = 20 << 20
	DefaultMaxTotal = 1 << 30
)

// ErrTooLarge marks a dataset over its limits.
var ErrTooLarge = errors.New("too-large")

// ParsePath parses a path relative to the dataset root (with "/" or the OS
// separator): "<service>/<terms type>/<YYYY-MM-DDTHH-MM-SSZ>.md", optionally
// under one top folder. ok is false for any other file.
func ParsePath(rel string) (service, termsType string, at time.Time, ok bool) {
	rel = strings.ReplaceAll(filepath.ToSlash(rel), "\\", "/")
	rel = strings.TrimPrefix(rel, "./")
	parts := strings.Split(rel, "/")
	if len(parts) == 4 {
		if !validName(parts[0]) {
			return "", "", time.Time{}, false
		}
		parts = parts[1:]
	}
	if len(parts) != 3 || !validName(parts[0]) || !validName(parts[1]) {
		return "", "", time.Time{}, false
	}
	name := parts[2]
	if !strings.HasSuffix(name, ".md") {
		return "", "", time.Time{}, false
	}
	stamp := strings.TrimSuffix(name, ".md")
	t, err := time.Parse(TimeLayout, stamp)
	if err != nil || t.Format(TimeLayout) != stamp {
		return "", "", time.Time{}, false
	}
	return parts[0], parts[1], t.UTC(), true
}

// validName rejects empty, hidden and tool folders (".git", "__MACOSX").
func validName(s string) bool {
	return s != "" && strings.TrimSpace(s) == s && !strings.HasPrefix(s, ".") && s != "__MACOSX"
}

// Open opens a dataset folder or .zip file and validates it: a zip must be
// complete and every version file readable. A dataset without any version
// file is an error.
func Open(p string) (*Dataset, error) {
	return OpenLimited(p, Limits{})
}

// OpenLimited is Open with limits on the size of the files (zero fields
// take the defaults).
func OpenLimited(p string, limits Limits) (*Dataset, error) {
	if limits.MaxFile <= 0 {
		limits.MaxFile = DefaultMaxFile
	}
	if limits.MaxTotal <= 0 {
		limits.MaxTotal = DefaultMaxTotal
	}
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("open dataset: %w", err)
	}
	d := &Dataset{limits: limits}
	if info.IsDir() {
		d.root = p
		err = filepath.WalkDir(p, func(full string, de fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if de.IsDir() {
				if full != p && strings.HasPrefix(de.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			rel, err := filepath.Rel(p, full)
			if err != nil {
				return err
			}
			return d.add(filepath.ToSlash(rel), de.Type().IsRegular())
		})
		if err != nil {
			return nil, fmt.Errorf("read dataset folder %s: %w", p, err)
		}
	} else {
		zr, err := zip.OpenReader(p)
		if err != nil {
			return nil, fmt.Errorf("not a valid zip archive: %s: %w", p, err)
		}
		d.zr = zr
		d.files = make(map[string]*zip.File)
		for _, f := range zr.File {
			if f.FileInfo().IsDir() {
				continue
			}
			if err := d.add(f.Name, true); err != nil {
				zr.Close()
				return nil, fmt.Errorf("read dataset %s: %w", p, err)
			}
			if _, _, _, ok := ParsePath(f.Name); ok {
				d.files[f.Name] = f
			}
		}
	}
	if err := d.checkDeclaredSizes(); err != nil {
		d.Close()
		return nil, fmt.Errorf("open dataset %s: %w", p, err)
	}
	if len(d.entries) == 0 {
		d.Close()
		return nil, fmt.Errorf("open dataset %s: no version files laid out as <service>/<terms type>/<YYYY-MM-DDTHH-MM-SSZ>.md", p)
	}
	sort.Slice(d.entries, func(i, j int) bool {
		a, b := d.entries[i], d.entries[j]
		if a.Service != b.Service {
			return a.Service < b.Service
		}
		if a.TermsType != b.TermsType {
			return a.TermsType < b.TermsType
		}
		if !a.FetchedAt.Equal(b.FetchedAt) {
			return a.FetchedAt.Before(b.FetchedAt)
		}
		return a.Path < b.Path
	})
	for i := 1; i < len(d.entries); i++ {
		a, b := d.entries[i-1], d.entries[i]
		if a.Service == b.Service && a.TermsType == b.TermsType && a.FetchedAt.Equal(b.FetchedAt) {
			d.Close()
			return nil, fmt.Errorf("open dataset %s: two files for %s / %s at %s: %s and %s",
				p, a.Service, a.TermsType, a.FetchedAt.Format(time.RFC3339), a.Path, b.Path)
		}
	}
	// Validate every version file now, so that a damaged or oversized
	// dataset fails before the caller imports anything; keep each file's
	// SHA-256.
	var total int64
	for i, e := range d.entries {
		raw, err := d.read(e.Path)
		if err == nil {
			if total += int64(len(raw)); total > d.limits.MaxTotal {
				err = fmt.Errorf("%w: the version files add up to more than %d MiB, more than one import may read", ErrTooLarge, d.limits.MaxTotal>>20)
			}
		}
		if err != nil {
			d.Close()
			if d.zr != nil && !errors.Is(err, ErrTooLarge) {
				return nil, fmt.Errorf("not a valid zip archive: %s: %w", p, err)
			}
			return nil, fmt.Errorf("open dataset %s: %w", p, err)
		}
		sum := sha256.Sum256(raw)
		d.entries[i].SHA256 = hex.EncodeToString(sum[:])
	}
	d.readIdentity(p)
	return d, nil
}

// add records rel if it is a version file.
func (d *Dataset) add(rel string, regular bool) error {
	svc, tt, at, ok := ParsePath(rel)
	if !ok {
		return nil
	}
	if !regular {
		return fmt.Errorf("%s is not a regular file", rel)
	}
	d.entries = append(d.entries, Entry{Service: svc, TermsType: tt, FetchedAt: at, Path: rel})
	return nil
}

// checkDeclaredSizes refuses a zip whose directory already declares files
// over the limits, without inflating anything.
func (d *Dataset) checkDeclaredSizes() error {
	if d.zr == nil {
		return nil
	}
	var total uint64
	for _, e := range d.entries {
		f := d.files[e.Path]
		if f.UncompressedSize64 > uint64(d.limits.MaxFile) {
			return fmt.Errorf("%w: %s inflates to %d MiB, more than a version file may be (%d MiB)", ErrTooLarge, e.Path, f.UncompressedSize64>>20, d.limits.MaxFile>>20)
		}
		if total += f.UncompressedSize64; total > uint64(d.limits.MaxTotal) {
			return fmt.Errorf("%w: the version files inflate to more than %d MiB, more than one import may read", ErrTooLarge, d.limits.MaxTotal>>20)
		}
	}
	return nil
}

// read returns the bytes of a version file, verifying a zip entry's checksum.
func (d *Dataset) read(rel string) ([]byte, error) {
	var r io.ReadCloser
	var err error
	if d.zr != nil {
		f, ok := d.files[rel]
		if !ok {
			return nil, fmt.Errorf("%s: missing from archive", rel)
		}
		r, err = f.Open()
	} else {
		r, err = os.Open(filepath.Join(d.root, filepath.FromSlash(rel)))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, d.limits.MaxFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	if int64(len(data)) > d.limits.MaxFile {
		return nil, fmt.Errorf("%w: %s is larger than a version file may be (%d MiB)", ErrTooLarge, rel, d.limits.MaxFile>>20)
	}
	return data, nil
}

// Documents lists the dataset's documents, sorted by service then terms type.
func (d *Dataset) Documents() []DocumentRef {
	var out []DocumentRef
	for _, e := range d.entries {
		if n := len(out); n > 0 && out[n-1].Service == e.Service && out[n-1].TermsType == e.TermsType {
			out[n-1].Count++
			continue
		}
		out = append(out, DocumentRef{Service: e.Service, TermsType: e.TermsType, Count: 1})
	}
	return out
}

// Len returns the number of versions in the dataset.
func (d *Dataset) Len() int { return len(d.entries) }

// Walk calls fn for every version, grouped by document (service, then terms
// type, in byte order) and oldest first within a document. It stops at the
// first error from fn or from reading, and returns it.
func (d *Dataset) Walk(fn func(Entry) error) error {
	if d.zr == nil && d.root == "" {
		return errors.New("walk dataset: closed")
	}
	for _, e := range d.entries {
		raw, err := d.read(e.Path)
		if err != nil {
			return fmt.Errorf("walk dataset: %w", err)
		}
		if sum := sha256.Sum256(raw); hex.EncodeToString(sum[:]) != e.SHA256 {
			return fmt.Errorf("walk dataset: %s changed while it was being imported", e.Path)
		}
		e.Raw, e.Text = raw, strings.TrimPrefix(string(raw), "\uFEFF")
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// Close releases the zip file, if any.
func (d *Dataset) Close() error {
	d.root = ""
	if d.zr == nil {
		return nil
	}
	err := d.zr.Close()
	d.zr = nil
	return err
}

// KindForTermsType maps an Open Terms Archive terms type to a PolicyWatch
// document kind: privacy-policy, terms-of-service, ai-terms,
// community-guidelines, cookie-policy, data-processing-agreement,
// acceptable-use-policy, fee-schedule, or other.
func KindForTermsType(termsType string) string {
	words := strings.FieldsFunc(strings.ToLower(termsType), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	t := " " + strings.Join(words, " ") + " "
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(t, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has(" ai ", " genai ", "generative", "artificial intelligence", " llm ", "machine learning"):
		return "ai-terms"
	case has("data processing", " dpa ", "processor terms", "data protection addendum", "data protection agreement"):
		return "data-processing-agreement"
	case has("cookie", " trackers ", " tracker ", " tracking "):
		return "cookie-policy"
	case has("privacy"):
		return "privacy-policy"
	case has("acceptable use", " use policy ", " usage policy "):
		return "acceptable-use-policy"
	case has("community guidelines", "community standards", "community rules", "content policy", "content policies"):
		return "community-guidelines"
	case has(" fee ", " fees ", " pricing ", " price ", " prices ", " commission ", " commissions ", " tariff ", " tariffs ", " charges "):
		return "fee-schedule"
	case has("terms of service", "terms of use", "terms and conditions", "user agreement", "general conditions", " tos ", "terms of sale"):
		return "terms-of-service"
	}
	return "other"
}

// Slug turns a service name into a lower-case identifier of letters, digits
// and single hyphens: "Google Generative AI Services" becomes
// "google-generative-ai-services"; accents are dropped ("Société" gives
// "societe").
func Slug(service string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(service) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '\u2019':
			// "McDonald's" gives "mcdonalds".
		default:
			dash = true
		}
	}
	return b.String()
}
