package ota

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Identity names a dataset, from what it says of itself:
//
//   - Name: the title of its README.md ("Open Terms Archive — contrib"; an
//     Open Terms Archive export titles it "Open Terms Archive — <collection>
//     — <Month D, YYYY> dataset"), else the folder or zip name;
//   - Release: the release date of that title (YYYY-MM-DD), or the date of an
//     export named "dataset-YYYY-MM-DD-<commit>";
//   - Commit: the versions repository commit such an export name carries.
//
// Fields the dataset does not state are empty.
type Identity struct {
	Name    string `json:"name"`
	Release string `json:"release,omitempty"`
	Commit  string `json:"commit,omitempty"`
	// Manifest counts the version files a manifest.json beside the versions
	// vouches for (its SHA-256 matches the file): each then has its own
	// source commit. Mismatched counts files the manifest lists with another
	// SHA-256 (their commit is not recorded).
	Manifest, Mismatched int `json:"-"`
}

// String describes the identity in one line.
func (id Identity) String() string {
	s := id.Name
	if id.Release != "" {
		s += ", release " + id.Release
	}
	if id.Commit != "" {
		s += ", commit " + id.Commit
	}
	return s
}

// Limits on the files read for the identity.
const (
	maxReadme   = 1 << 20
	maxManifest = 64 << 20
)

// exportName matches an Open Terms Archive export's name:
// "dataset-2024-01-01-abc1234" (folder or zip).
var exportName = regexp.MustCompile(`(?:^|[-_ ])(\d{4}-\d{2}-\d{2})-([0-9a-f]{7,40})$`)

// readIdentity reads the dataset's README title, its export name and its
// manifest (which gives each version file's source commit), after the
// version files were read and hashed.
func (d *Dataset) readIdentity(p string) {
	base := strings.TrimSuffix(filepath.Base(p), ".zip")
	top := d.topFolder()
	if top != "" && d.zr != nil {
		base = top // a zip's own folder names the export
	}
	d.identity.Name = base
	if m := exportName.FindStringSubmatch(base); m != nil {
		d.identity.Release, d.identity.Commit = m[1], m[2]
	}
	for _, rel := range []string{path.Join(top, "README.md"), "README.md"} {
		b, ok := d.readOther(rel, maxReadme)
		if !ok {
			continue
		}
		if name, release := readmeTitle(b); name != "" {
			d.identity.Name = name
			if release != "" {
				d.identity.Release = release
			}
			break
		}
	}
	d.readManifest(top)
}

// topFolder is the one folder every version file sits under, if any.
func (d *Dataset) topFolder() string {
	top := ""
	for i, e := range d.entries {
		first, _, _ := strings.Cut(e.Path, "/")
		if strings.Count(e.Path, "/") != 3 || (i > 0 && first != top) {
			return ""
		}
		top = first
	}
	return top
}

// readOther reads a file of the dataset that is not a version file, up to
// limit bytes; ok is false when it is missing, too large or unreadable.
func (d *Dataset) readOther(rel string, limit int64) ([]byte, bool) {
	var r io.ReadCloser
	if d.zr != nil {
		for _, f := range d.zr.File {
			if f.Name == rel {
				if int64(f.UncompressedSize64) > limit {
					return nil, false
				}
				rc, err := f.Open()
				if err != nil {
					return nil, false
				}
				r = rc
				break
			}
		}
		if r == nil {
			return nil, false
		}
	} else {
		f, err := os.Open(filepath.Join(d.root, filepath.FromSlash(rel)))
		if err != nil {
			return nil, false
		}
		r = f
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil || int64(len(b)) > limit {
		return nil, false
	}
	return b, true
}

// readmeTitle reads the first "# " heading of a README: an Open Terms
// Archive export's "Open Terms Archive — <collection> — <date> dataset"
// gives the name before the date and the date as YYYY-MM-DD.
func readmeTitle(b []byte) (name, release string) {
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF"))))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "# ") {
			continue
		}
		title := strings.TrimSpace(strings.TrimPrefix(line, "# "))
		if rest, ok := strings.CutSuffix(title, " dataset"); ok {
			if i := strings.LastIndex(rest, " — "); i > 0 {
				date := strings.TrimSpace(rest[i+len(" — "):])
				for _, layout := range []string{"January 2, 2006", "2006-01-02"} {
					if t, err := time.Parse(layout, date); err == nil {
						return strings.TrimSpace(rest[:i]), t.Format("2006-01-02")
					}
				}
				return strings.TrimSpace(rest[:i]), date
			}
		}
		return title, ""
	}
	return "", ""
}

// manifestDoc is one document of a dataset manifest.json: the layout of the
// PolicyWatch test corpus, which lists every version file with its SHA-256
// and the versions repository commit that recorded it.
type manifestDoc struct {
	SourceRepo string `json:"source_repo"`
	Versions   []struct {
		File       string `json:"file"`
		SHA256     string `json:"sha256"`
		Commit     string `json:"commit"`
		SourceRepo string `json:"source_repo"`
	} `json:"versions"`
}

// readManifest looks for a manifest.json in the top folder, at the root
// or, for a folder, beside it, and gives each version file it vouches for
// (same SHA-256) its source commit, "<repository>@<commit>".
func (d *Dataset) readManifest(top string) {
	type candidate struct {
		data []byte
		key  func(rel string) string // a version file's name in the manifest
	}
	var cands []candidate
	if top != "" {
		if b, ok := d.readOther(path.Join(top, "manifest.json"), maxManifest); ok {
			cands = append(cands, candidate{b, func(rel string) string { return strings.TrimPrefix(rel, top+"/") }})
		}
	}
	if b, ok := d.readOther("manifest.json", maxManifest); ok {
		cands = append(cands, candidate{b, func(rel string) string { return rel }})
	}
	if d.zr == nil {
		if b, err := readLimited(filepath.Join(filepath.Dir(filepath.Clean(d.root)), "manifest.json"), maxManifest); err == nil {
			folder := filepath.Base(filepath.Clean(d.root))
			cands = append(cands, candidate{b, func(rel string) string { return folder + "/" + rel }})
		}
	}
	for _, c := range cands {
		var docs []manifestDoc
		if err := json.Unmarshal(c.data, &docs); err != nil {
			continue // another kind of manifest: not ours to read
		}
		type source struct{ sha, commit string }
		files := map[string]source{}
		for _, doc := range docs {
			for _, v := range doc.Versions {
				repo := v.SourceRepo
				if repo == "" {
					repo = doc.SourceRepo
				}
				commit := v.Commit
				if commit != "" && repo != "" {
					commit = repo + "@" + commit
				}
				files[v.File] = source{sha: strings.ToLower(v.SHA256), commit: commit}
			}
		}
		matched, mismatched := 0, 0
		for i := range d.entries {
			e := &d.entries[i]
			s, ok := files[c.key(e.Path)]
			switch {
			case !ok:
			case s.sha == e.SHA256:
				e.Commit = s.commit
				matched++
			default:
				mismatched++
			}
		}
		if matched > 0 || mismatched > 0 {
			d.identity.Manifest, d.identity.Mismatched = matched, mismatched
			return
		}
	}
}

func readLimited(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", p, limit)
	}
	return b, nil
}

// Identity returns what the dataset says of itself.
func (d *Dataset) Identity() Identity { return d.identity }
