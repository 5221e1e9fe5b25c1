package tracker_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"policywatch/tracker/render"
)

// sharedBrowser is the one Chromium this test binary renders with, started
// by the first test that builds a service and closed by TestMain.
var sharedBrowser struct {
	once sync.Once
	b    *render.Browser
	err  error
}

func browser(t testing.TB) *render.Browser {
	t.Helper()
	sharedBrowser.once.Do(func() {
		sharedBrowser.b, sharedBrowser.err = render.Start(context.Background(), render.Options{Tabs: 3})
	})
	if sharedBrowser.err != nil {
		t.Fatalf("the capture tests need Chromium (make test installs it): %v", sharedBrowser.err)
	}
	return sharedBrowser.b
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedBrowser.b != nil {
		sharedBrowser.b.Close()
	}
	if code == 0 && sharedBrowser.err != nil {
		fmt.Fprintln(os.Stderr, sharedBrowser.err)
		code = 1
	}
	os.Exit(code)
}
