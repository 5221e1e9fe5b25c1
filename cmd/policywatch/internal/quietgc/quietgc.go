// Package quietgc switches the garbage collector off while the program's
// packages initialise, and lets each command choose afterwards.
//
// The GUI, spreadsheet and font libraries allocate about 4 MB of tables
// during package initialisation, all of which live as long as the process;
// with the collector on, that alone triggers a collection which finds
// nothing to free and costs about 1.3 ms of every start. The main package
// imports this package first, and Go initialises a package before the ones
// that import it and, among those ready, in import-path order, so its init
// runs before those libraries' (GODEBUG=inittrace=1 shows the order).
//
// Long-running commands call Restore; one-shot commands on bounded input
// call OneShot, which keeps the collector off but caps the heap with a
// memory limit, so a large input still gets collected rather than
// exhausting memory.
package quietgc

import "runtime/debug"

// percent is the GOGC setting in force before init switched it off.
var percent = debug.SetGCPercent(-1)

// oneShotLimit is the heap size at which a one-shot command's collector
// runs after all.
const oneShotLimit = 256 << 20

// Restore puts back the collector as the environment (GOGC) set it.
func Restore() {
	debug.SetGCPercent(percent)
}

// OneShot keeps the collector off for a short command, up to a heap of
// oneShotLimit bytes, unless GOGC asked for it to be off already with its
// own limit (GOMEMLIMIT), which is then left as it is.
func OneShot() {
	if percent < 0 {
		return
	}
	if debug.SetMemoryLimit(-1) == 1<<63-1 { // no GOMEMLIMIT set
		debug.SetMemoryLimit(oneShotLimit)
	}
}
