package extract

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/ledongthuc/pdf"
)

// PDFText returns the text of a PDF, page by page, separated by blank lines.
// Malformed or encrypted PDFs give an error, never a panic.
func PDFText(data []byte) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("read pdf: malformed file: %v", r)
		}
	}()
	start := bytes.Index(data, []byte("%PDF-"))
	if start < 0 {
		return "", errors.New("read pdf: no %PDF header")
	}
	data = data[start:]
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("read pdf: %w", err)
	}
	fonts := make(map[string]*pdf.Font)
	var b strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		for _, name := range p.Fonts() {
			if _, ok := fonts[name]; !ok {
				f := p.Font(name)
				fonts[name] = &f
			}
		}
		t, err := p.GetPlainText(fonts)
		if err != nil {
			return "", fmt.Errorf("read pdf page %d: %w", i, err)
		}
		b.WriteString(t)
		b.WriteString("\n\n")
	}
	return b.String(), nil
}
