package tracker

import (
	"fmt"
	"strings"
)

// Sources of a version: how it entered the archive.
const (
	SourceCheck     = "check"      // fetched from the web by a check
	SourceImport    = "import"     // read from an Open Terms Archive dataset
	SourceReExtract = "re-extract" // re-read from archived raw bytes with new selectors
)

// Provenance says in one line where a version came from: for an imported
// version the dataset (name, release, commit), the file and the file's own
// SHA-256; for a fetched one the URL and HTTP status; for a re-extraction
// the archived bytes it re-read. Reports, history and the GUI print it.
func (v VersionInfo) Provenance() string {
	switch v.Source {
	case SourceImport:
		var b strings.Builder
		b.WriteString("imported from ")
		if o := v.Origin; o != nil && o.Dataset != "" {
			b.WriteString(o.Dataset)
			if o.Release != "" {
				b.WriteString(", release " + o.Release)
			}
			if o.Commit != "" {
				b.WriteString(", commit " + o.Commit)
			}
		} else {
			b.WriteString("a dataset whose name was not recorded")
		}
		if o := v.Origin; o != nil && o.File != "" {
			b.WriteString(", file " + o.File)
		}
		if v.RawSHA256 != "" {
			b.WriteString(", file hash " + v.RawSHA256)
		}
		return b.String()
	case SourceReExtract:
		return "re-extracted from the archived bytes fetched from " + v.URL
	}
	s := "fetched from " + v.URL
	if v.HTTPStatus != 0 {
		s += fmt.Sprintf(", HTTP %d", v.HTTPStatus)
	}
	return s
}
