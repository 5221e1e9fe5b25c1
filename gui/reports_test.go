package gui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportReportWritesBothFiles(t *testing.T) {
	p, srv := policyServer(t)
	u, svc := newTestUI(t)
	seedChange(t, u, svc, p, srv, "Example Corp")
	act(u, u.Start)
	idle(t, u)
	base := filepath.Join(t.TempDir(), "q3-report")
	act(u, func() { u.reports.exportTo(base) })
	eventually(t, u, "export", func() bool { return u.reports.cancelRun == nil })
	for _, ext := range []string{".pdf", ".xlsx"} {
		st, err := os.Stat(base + ext)
		if err != nil || st.Size() < 1000 {
			t.Fatalf("%s: %v", ext, err)
		}
	}
	if !strings.HasPrefix(u.reports.status.Text, "Report written") || u.reports.openPDF.Hidden || u.reports.openXLSX.Hidden {
		t.Errorf("status %q", u.reports.status.Text)
	}
	// Nothing ticked is refused with advice.
	act(u, func() {
		u.reports.pdf.SetChecked(false)
		u.reports.xlsx.SetChecked(false)
	})
	if _, err := u.reports.filter(svc.Now()); err == nil {
		t.Fatal("no format accepted")
	}
	// A folder that does not exist is refused before any work.
	act(u, func() {
		u.reports.pdf.SetChecked(true)
		u.reports.exportTo(filepath.Join(t.TempDir(), "missing", "r"))
	})
	idle(t, u)
	if u.reports.cancelRun != nil {
		t.Error("an export started into a missing folder")
	}
}
