package report

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// writeAtomic writes path through write: into a temporary file in the same
// folder, synced, then renamed over path. On any failure or cancellation the
// temporary file is removed and path is left as it was.
func writeAtomic(ctx context.Context, path string, write func(w io.Writer) error) (err error) {
	if err := CheckDestination(path); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".policywatch-*"+filepath.Ext(path))
	if err != nil {
		return fmt.Errorf("cannot write %s: %s", path, explain(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 256<<10)
	if err := write(bw); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("export of %s cancelled: %w", path, ctx.Err())
		}
		return fmt.Errorf("write %s: %s", path, explain(err))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %s", path, explain(err))
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %s", path, explain(err))
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %s", path, explain(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %s", path, explain(err))
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("export of %s cancelled: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot replace %s: %s", path, explain(err))
	}
	return nil
}

// CheckDestination reports, in words, why a report cannot be written at
// path (no name, a missing folder, a folder in the way), before any work is
// done. Permission and disk problems surface when writing.
func CheckDestination(path string) error {
	if path == "" {
		return errors.New("no file name given for the report")
	}
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot write %s: the folder %s does not exist", path, dir)
	case err != nil:
		return fmt.Errorf("cannot write %s: %s", path, explain(err))
	case !info.IsDir():
		return fmt.Errorf("cannot write %s: %s is not a folder", path, dir)
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("cannot write %s: it is a folder", path)
	}
	return nil
}

// explain says in words why a file operation failed, keeping the detail.
func explain(err error) string {
	var why string
	switch {
	case errors.Is(err, syscall.ENOSPC):
		why = "the disk is full"
	case errors.Is(err, syscall.EROFS):
		why = "the disk is read-only"
	case errors.Is(err, fs.ErrPermission):
		why = "permission denied"
	case errors.Is(err, fs.ErrNotExist):
		why = "the folder does not exist"
	default:
		return err.Error()
	}
	return fmt.Sprintf("%s (%v)", why, err)
}

// ctxWriter fails further writes after ctx is cancelled, so a long
// render stops at its next write.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
