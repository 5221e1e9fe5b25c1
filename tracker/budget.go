package tracker

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/semaphore"

	"policywatch/tracker/extract"
)

// Budgets bound the resources of one check, one preview or one import.
// What would go over a budget fails with reason "too-large" and is not
// stored; what was stored before it is whole.
type Budgets struct {
	// Memory bounds the documents a check reads at once, by their
	// estimated cost in memory (extract.Cost): documents wait for room,
	// and one that alone exceeds it fails.
	Memory int64
	// Disk bounds what one check adds to the archive (new versions' text
	// and raw bytes), and the text of the versions one import reads.
	Disk int64
}

// Default budgets.
const (
	DefaultMemoryBudget = 1 << 30
	DefaultDiskBudget   = 1 << 30
)

// WithBudgets sets the budgets of checks and imports (zero fields keep
// the defaults).
func WithBudgets(b Budgets) Option { return func(s *Service) { s.budgetOpts = b } }

// budgets returns the service's budgets with defaults filled in.
func (s *Service) budgets() Budgets {
	b := s.budgetOpts
	if b.Memory <= 0 {
		b.Memory = DefaultMemoryBudget
	}
	if b.Disk <= 0 {
		b.Disk = DefaultDiskBudget
	}
	return b
}

// memoryBudget is a weighted semaphore over the estimated memory of the
// documents being read.
type memoryBudget struct {
	sem   *semaphore.Weighted
	limit int64
}

func newMemoryBudget(limit int64) *memoryBudget {
	return &memoryBudget{sem: semaphore.NewWeighted(limit), limit: limit}
}

// acquire waits for room for cost; a cost above the whole budget fails at
// once with a *CaptureError.
func (m *memoryBudget) acquire(ctx context.Context, cost int64) (release func(), err error) {
	if cost > m.limit {
		return nil, &CaptureError{Reason: extract.ReasonTooLarge, Fetched: true,
			Advice: fmt.Sprintf("reading this document would take about %d MiB of memory, more than a check allows (%d MiB); check that the URL points to the document itself", cost>>20, m.limit>>20)}
	}
	if err := m.sem.Acquire(ctx, cost); err != nil {
		return nil, err
	}
	return func() { m.sem.Release(cost) }, nil
}

// diskBudget counts what one check adds to the archive.
type diskBudget struct {
	mu          sync.Mutex
	used, limit int64
}

func newDiskBudget(limit int64) *diskBudget { return &diskBudget{limit: limit} }

// reserve takes n bytes, or reports that they do not fit.
func (d *diskBudget) reserve(n int64) bool {
	if d == nil {
		return true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.used+n > d.limit {
		return false
	}
	d.used += n
	return true
}

// give returns n bytes reserved for writes that did not happen.
func (d *diskBudget) give(n int64) {
	if d == nil {
		return
	}
	d.mu.Lock()
	d.used -= n
	d.mu.Unlock()
}
