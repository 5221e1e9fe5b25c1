package extract

import (
	"bytes"
	"context"
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
	return FromFileContext(context.Background(), name, data)
}

// FromFileContext is FromFile under ctx: reading a PDF or parsing HTML
// stops when ctx ends, with ctx's error; HTML with more than MaxElements
// elements is refused.
func FromFileContext(ctx context.Context, name string, data []byte) (string, error) {
	htmlText := func(data []byte) (string, error) {
		p, err := parseContext(ctx, data, "text/html")
		if err != nil {
			if ctx.Err() != nil {
				return "", ctx.Err()
			}
			return "", fmt.Errorf("%s: %w", name, err)
		}
		return p.text("", "")
	}
	pdfText := func(data []byte) (string, error) {
		t, err := PDFTextContext(ctx, data)
		if err != nil {
			if ctx.Err() != nil {
				return "", ctx.Err()
			}
			return "", fmt.Errorf("%s: %w", name, err)
		}
		return Normalize(t), nil
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		return htmlText(data)
	case ".md", ".markdown", ".txt", ".text":
		if utf8.Valid(data) { // the usual case: no charset to detect
			return normalizeInPlace(bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})), nil
		}
		return Normalize(string(decode(data, "text/plain"))), nil
	case ".pdf":
		return pdfText(data)
	}
	switch kindOf(data, "") {
	case kindPDF:
		return pdfText(data)
	case kindHTML:
		return htmlText(data)
	}
	if looksLikeHTML(data) {
		return htmlText(data)
	}
	if utf8.Valid(data) && !bytes.ContainsRune(data, 0) {
		return Normalize(string(data)), nil
	}
	return "", fmt.Errorf("%s: unsupported file type: use .html, .md, .txt or .pdf", name)
}
