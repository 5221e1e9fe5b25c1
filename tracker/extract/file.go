package extract

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// FromFile turns a local file into normalised text, for the CLI's analyze
// and diff commands: .html/.htm/.xhtml through HTMLToText, .md/.markdown/.txt
// through Normalize, .pdf through PDFText. Other names are recognised by
// content (a %PDF header, HTML markup, or UTF-8 text). Unlike Extract it does
// not judge whether the text is long enough. The text may be written over
// data's memory: data must not be used afterwards.
func FromFile(name string, data []byte) (string, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		return HTMLToText(data, "", "")
	case ".md", ".markdown", ".txt", ".text":
		if utf8.Valid(data) { // the usual case: no charset to detect
			return normalizeInPlace(bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})), nil
		}
		return Normalize(string(decode(data, "text/plain"))), nil
	case ".pdf":
		t, err := PDFText(data)
		if err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		return Normalize(t), nil
	}
	switch kindOf(data, "") {
	case kindPDF:
		t, err := PDFText(data)
		if err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		return Normalize(t), nil
	case kindHTML:
		return HTMLToText(data, "", "")
	}
	if looksLikeHTML(data) {
		return HTMLToText(data, "", "")
	}
	if utf8.Valid(data) && !bytes.ContainsRune(data, 0) {
		return Normalize(string(data)), nil
	}
	return "", fmt.Errorf("%s: unsupported file type: use .html, .md, .txt or .pdf", name)
}
