package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ledongthuc/pdf"
)

// Bounds on what a PDF may make the reader do. A policy is a few hundred
// pages in a shallow page tree; a tree deeper than maxPDFDepth is cyclic
// (a node that contains itself) or hostile.
const (
	maxPDFDepth = 32
	maxPDFNodes = 100_000
	maxPDFPages = 5_000
	// maxPDFText caps the text a PDF may yield, and maxPDFContent the
	// decompressed content streams of its pages (a decompression bomb
	// inflates a few megabytes into gigabytes).
	maxPDFText    = 32 << 20
	maxPDFContent = 64 << 20
)

// errPDFTooLarge marks a PDF whose text exceeds maxPDFText.
var errPDFTooLarge = errors.New("read pdf: the text is larger than the limit")

// PDFText returns the text of a PDF, page by page, separated by blank lines.
// Malformed or encrypted PDFs give an error, never a panic.
func PDFText(data []byte) (string, error) {
	return PDFTextContext(context.Background(), data)
}

// PDFTextContext is PDFText under ctx: it returns ctx's error as soon as ctx
// ends, and the reader stops at its next read of the file. A page tree that
// contains itself, or is deeper or larger than any document's, is an error
// found before any page is read.
func PDFTextContext(ctx context.Context, data []byte) (string, error) {
	type result struct {
		text string
		err  error
	}
	done := make(chan result, 1)
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		text, err := pdfText(rctx, data)
		done <- result{text, err}
	}()
	select {
	case r := <-done:
		return r.text, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// ctxReaderAt fails every read once its context has ended, which unwinds
// the PDF reader (it reads the file as it goes) wherever it is.
type ctxReaderAt struct {
	ctx context.Context
	r   *bytes.Reader
}

func (c ctxReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.ReadAt(p, off)
}

func pdfText(ctx context.Context, data []byte) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			if ctx.Err() != nil {
				text, err = "", ctx.Err()
				return
			}
			text, err = "", fmt.Errorf("read pdf: malformed file: %v", r)
		}
	}()
	start := bytes.Index(data, []byte("%PDF-"))
	if start < 0 {
		return "", errors.New("read pdf: no %PDF header")
	}
	data = data[start:]
	r, err := pdf.NewReader(ctxReaderAt{ctx, bytes.NewReader(data)}, int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("read pdf: %w", err)
	}
	pages, err := pageTree(r.Trailer().Key("Root").Key("Pages"))
	if err != nil {
		return "", err
	}
	fonts := make(map[string]*pdf.Font)
	var b strings.Builder
	content := int64(0)
	for i, p := range pages {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		// Measure the page's content, decompressed, before the reader
		// interprets it: a bomb fails here after reading at most the cap.
		n, err := contentSize(p.V.Key("Contents"), maxPDFContent-content)
		if err != nil {
			return "", fmt.Errorf("read pdf page %d: %w", i+1, err)
		}
		if content += n; content > maxPDFContent {
			return "", errPDFTooLarge
		}
		for _, name := range p.Fonts() {
			if _, ok := fonts[name]; !ok {
				f := p.Font(name)
				fonts[name] = &f
			}
		}
		t, err := p.GetPlainText(fonts)
		if err != nil {
			return "", fmt.Errorf("read pdf page %d: %w", i+1, err)
		}
		b.WriteString(t)
		b.WriteString("\n\n")
		if b.Len() > maxPDFText {
			return "", errPDFTooLarge
		}
	}
	return b.String(), nil
}

// pageTree lists a PDF's pages in order by walking its page tree, refusing
// a tree that is cyclic, too deep or too large, and pages whose chain of
// parents (where inherited resources are looked up) is cyclic.
func pageTree(root pdf.Value) ([]pdf.Page, error) {
	var pages []pdf.Page
	nodes := 0
	var walk func(n pdf.Value, depth int) error
	walk = func(n pdf.Value, depth int) error {
		if depth > maxPDFDepth {
			return errors.New("read pdf: the page tree contains itself or is deeper than any document's")
		}
		if nodes++; nodes > maxPDFNodes {
			return errors.New("read pdf: the page tree is larger than any document's")
		}
		switch n.Key("Type").Name() {
		case "Pages":
			kids := n.Key("Kids")
			for i := 0; i < kids.Len(); i++ {
				if err := walk(kids.Index(i), depth+1); err != nil {
					return err
				}
			}
		case "Page":
			if len(pages) >= maxPDFPages {
				return fmt.Errorf("read pdf: more than %d pages", maxPDFPages)
			}
			up := 0
			for v := n; !v.IsNull(); v = v.Key("Parent") {
				if up++; up > maxPDFDepth+1 {
					return errors.New("read pdf: a page's chain of parents contains itself")
				}
			}
			pages = append(pages, pdf.Page{V: n})
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		return nil, err
	}
	return pages, nil
}

// contentSize returns the decompressed size of a page's content (a stream
// or an array of streams), reading at most limit+1 bytes.
func contentSize(contents pdf.Value, limit int64) (int64, error) {
	var streams []pdf.Value
	switch contents.Kind() {
	case pdf.Null:
		return 0, nil
	case pdf.Array:
		for i := 0; i < contents.Len(); i++ {
			streams = append(streams, contents.Index(i))
		}
	default:
		streams = []pdf.Value{contents}
	}
	var total int64
	for _, st := range streams {
		rc := st.Reader()
		n, err := io.Copy(io.Discard, io.LimitReader(rc, limit-total+1))
		rc.Close()
		total += n
		if err != nil {
			return total, err
		}
		if total > limit {
			return total, nil
		}
	}
	return total, nil
}
