// Package testpolicies holds a small Open Terms Archive-style dataset of
// policies written for PolicyWatch's tests: three fictional platforms
// (Northwind Chat, Lakeside Forum, Pixel Snap), their privacy policies and
// one terms of service, in consecutive versions with substantive edits
// (AI training, advertising, retention, location, biometrics, arbitration,
// unilateral changes) and cosmetic ones (date bumps, white space, an e-mail
// address). Nothing in it is copied from a real policy; tests use it where
// they would otherwise need ../shared/corpus, so a clone with nothing
// beside it still covers the same code paths.
package testpolicies

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
)

//go:embed dataset
var files embed.FS

// Dataset returns the dataset's files as an fs.FS rooted at the dataset
// folder (<service>/<terms type>/<timestamp>.md).
func Dataset() fs.FS {
	sub, err := fs.Sub(files, "dataset")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}

// File returns a file's text by its path relative to the dataset folder.
func File(rel string) (string, error) {
	b, err := fs.ReadFile(Dataset(), rel)
	if err != nil {
		return "", fmt.Errorf("test policy: %w", err)
	}
	return string(b), nil
}

// Pair is two consecutive versions of one document.
type Pair struct {
	Old, New string // paths relative to the dataset folder
}

// Documents lists the dataset's documents as "<service>/<terms type>".
func Documents() []string {
	var out []string
	services, _ := fs.ReadDir(Dataset(), ".")
	for _, s := range services {
		kinds, _ := fs.ReadDir(Dataset(), s.Name())
		for _, k := range kinds {
			out = append(out, path.Join(s.Name(), k.Name()))
		}
	}
	sort.Strings(out)
	return out
}

// Versions lists a document's version files, oldest first.
func Versions(doc string) []string {
	entries, _ := fs.ReadDir(Dataset(), doc)
	var out []string
	for _, e := range entries {
		out = append(out, path.Join(doc, e.Name()))
	}
	sort.Strings(out)
	return out
}

// Pairs lists every pair of consecutive versions in the dataset.
func Pairs() []Pair {
	var out []Pair
	for _, d := range Documents() {
		vs := Versions(d)
		for i := 1; i < len(vs); i++ {
			out = append(out, Pair{Old: vs[i-1], New: vs[i]})
		}
	}
	return out
}

// WriteDataset copies the dataset under dir (as dir/<service>/…) and
// returns dir, for code that reads a dataset folder from disk.
func WriteDataset(dir string) (string, error) {
	err := fs.WalkDir(Dataset(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Dataset(), p)
		if err != nil {
			return err
		}
		dest := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dest, b, 0o644)
	})
	if err != nil {
		return "", fmt.Errorf("write test dataset: %w", err)
	}
	return dir, nil
}
