package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sort"
	"time"
)

// defaultType matches one <Default> element of [Content_Types].xml.
var defaultType = regexp.MustCompile(`<Default [^>]*>(?:</Default>)?`)

// copyContentTypes copies [Content_Types].xml with its <Default> elements
// (which excelize emits in map order) sorted.
func copyContentTypes(zw *zip.Writer, zf *zip.File) error {
	r, err := zf.Open()
	if err != nil {
		return fmt.Errorf("reorder xlsx: %w", err)
	}
	data, err := io.ReadAll(r)
	r.Close()
	if err != nil {
		return fmt.Errorf("reorder xlsx: %w", err)
	}
	found := defaultType.FindAll(data, -1)
	sorted := make([]string, len(found))
	for i, b := range found {
		sorted[i] = string(b)
	}
	sort.Strings(sorted)
	i := 0
	data = defaultType.ReplaceAllFunc(data, func([]byte) []byte { i++; return []byte(sorted[i-1]) })
	hdr := zf.FileHeader
	hdr.Modified = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC) // the earliest zip date, as excelize's entries
	out, err := zw.CreateHeader(&hdr)
	if err != nil {
		return fmt.Errorf("reorder xlsx: %w", err)
	}
	if _, err := out.Write(data); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// sortedZip copies a zip archive to w with its entries in name order,
// without recompressing them.
func sortedZip(data []byte, w io.Writer) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("reorder xlsx: %w", err)
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	zw := zip.NewWriter(w)
	for _, zf := range files {
		if zf.Name == "[Content_Types].xml" {
			if err := copyContentTypes(zw, zf); err != nil {
				return err
			}
			continue
		}
		raw, err := zf.OpenRaw()
		if err != nil {
			return fmt.Errorf("reorder xlsx: %w", err)
		}
		hdr := zf.FileHeader
		out, err := zw.CreateRaw(&hdr)
		if err != nil {
			return fmt.Errorf("reorder xlsx: %w", err)
		}
		if _, err := io.Copy(out, raw); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}
