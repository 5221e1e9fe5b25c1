package report

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSmoke(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	m, err := Build(ctx, fx.svc, Filter{}, Options{GeneratedAt: time.Date(2025, 4, 15, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("REPORT_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := WritePDF(ctx, m, filepath.Join(dir, "out.pdf")); err != nil {
		t.Fatal(err)
	}
	if err := WriteXLSX(ctx, m, filepath.Join(dir, "out.xlsx")); err != nil {
		t.Fatal(err)
	}
}
