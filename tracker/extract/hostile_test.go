package extract

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// rawPDF assembles a PDF from numbered object bodies (object i+1 is
// objects[i]), with a correct cross-reference table, so that tests can
// write the malformed structures real readers choke on.
func rawPDF(objects ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

const (
	pdfFont   = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
	pdfSample = "BT /F1 12 Tf 72 720 Td (We collect your name and e-mail address when you register for an account with us.) Tj ET"
)

func stream(content string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content)
}

func TestRawPDFReads(t *testing.T) {
	data := rawPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream(pdfSample),
		pdfFont,
	)
	text, err := PDFText(data)
	if err != nil || !strings.Contains(text, "register for an account") {
		t.Fatalf("a well-formed PDF: %q %v", text, err)
	}
}

// A page tree that contains itself (which made check, analyze and diff spin
// forever), a page whose parent chain loops, and a tree claiming a billion
// pages fail at once as unsupported-type.
func TestCyclicPDFsFailAsUnsupported(t *testing.T) {
	cases := map[string][]byte{
		"pages node is its own kid": rawPDF(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
			"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
			stream(pdfSample),
			pdfFont,
		),
		"two pages nodes in a loop": rawPDF(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 5 >>",
			"<< /Type /Pages /Kids [2 0 R] /Count 5 /Parent 2 0 R >>",
		),
		"page's parent chain loops": rawPDF(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 6 0 R >>",
			"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
			stream(pdfSample),
			pdfFont,
			"<< /Type /Pages /Kids [] /Count 0 /Parent 2 0 R >>",
		),
	}
	for name, data := range cases {
		start := time.Now()
		_, err := Extract(data, "application/pdf", "", "")
		var xe *Error
		if !errors.As(err, &xe) || xe.Reason != ReasonUnsupportedType {
			t.Errorf("%s: %v", name, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v", name, d)
		}
		if _, err := FromFile("cyclic.pdf", data); err == nil {
			t.Errorf("%s: FromFile accepted it", name)
		}
	}
}

// inflatedPDF is a one-page PDF whose content stream is size bytes of text
// operators, compressed: a few megabytes on disk.
func inflatedPDF(size int) []byte {
	var content bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&content, zlib.BestSpeed)
	block := bytes.Repeat([]byte("BT /F1 12 Tf 72 720 Td ("+strings.Repeat("x", 200)+") Tj ET\n"), 4096)
	for i := 0; i < size/len(block); i++ {
		zw.Write(block)
	}
	zw.Close()
	return rawPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", content.Len(), content.Bytes()),
		pdfFont,
	)
}

// A decompression bomb (a small stream inflating to far more than any
// document) fails as too-large after reading no more than the cap.
func TestPDFBombFailsAsTooLarge(t *testing.T) {
	data := inflatedPDF(96 << 20) // past the 64 MiB content cap
	if len(data) > 4<<20 {
		t.Fatalf("the bomb is %d bytes: not a bomb", len(data))
	}
	_, err := Extract(data, "application/pdf", "", "")
	var xe *Error
	if !errors.As(err, &xe) || xe.Reason != ReasonTooLarge {
		t.Fatalf("bomb: %v", err)
	}
}

// A PDF that takes long to read ends at the deadline as a timeout, and
// cancelling (Ctrl+C) returns the cancellation itself; the reader stops.
func TestSlowPDFEndsAtTheDeadline(t *testing.T) {
	data := inflatedPDF(60 << 20) // under the content cap, seconds of work
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := ExtractContext(ctx, data, "application/pdf", "", "")
	var xe *Error
	if !errors.As(err, &xe) || xe.Reason != ReasonTimeout {
		t.Fatalf("slow PDF: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("a 200 ms deadline took %v", d)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	if _, err := ExtractContext(ctx, data, "application/pdf", "", ""); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// A page with more elements than any document fails as too-large before it
// is parsed into a tree (18 MiB of <p> took gigabytes).
func TestHugeHTMLFailsAsTooLarge(t *testing.T) {
	page := "<html><body>" + strings.Repeat("<p>x</p>", MaxElements+10) + "</body></html>"
	_, err := Extract([]byte(page), "text/html", "", "")
	var xe *Error
	if !errors.As(err, &xe) || xe.Reason != ReasonTooLarge {
		t.Fatalf("huge page: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ExtractContext(ctx, []byte(page), "text/html", "", ""); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled extraction: %v", err)
	}
}
