package quietgc

import (
	"runtime/debug"
	"testing"
)

// The collector is off after initialisation; OneShot keeps it off under a
// memory limit; Restore gives back the setting the process started with.
func TestCollectorSettings(t *testing.T) {
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Fatalf("GC percent after init = %d, want -1 (off)", got)
	}
	before := debug.SetMemoryLimit(-1)
	OneShot()
	if percent >= 0 && before == 1<<63-1 { // GOGC and GOMEMLIMIT unset
		if got := debug.SetMemoryLimit(-1); got != oneShotLimit {
			t.Errorf("memory limit after OneShot = %d, want %d", got, oneShotLimit)
		}
	}
	debug.SetMemoryLimit(before)
	Restore()
	if got := debug.SetGCPercent(percent); got != percent {
		t.Errorf("GC percent after Restore = %d, want %d", got, percent)
	}
}
