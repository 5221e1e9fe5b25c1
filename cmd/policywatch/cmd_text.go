package main

import (
	"fmt"
)

// cmdText prints a version's archived text exactly as stored (so that
// `policywatch text 12 | sha256sum` gives the version's SHA-256), or with
// --raw the bytes as served (as imported, for a dataset file).
func cmdText(e *env) error {
	fs := newFlags("text")
	raw := fs.Bool("raw", false, "print the raw bytes as served instead of the normalised text")
	rest, err := parseFlags(fs, e.args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("text takes one version id (see `policywatch history DOC_ID`)")
	}
	id, err := parseID(rest[0], "VERSION_ID")
	if err != nil {
		return err
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	v, err := svc.Version(e.ctx, id)
	if err != nil {
		return fmt.Errorf("version %d: %w", id, err)
	}
	if *raw {
		if len(v.Raw) == 0 {
			return fmt.Errorf("version %d has no raw bytes archived (it was stored before raw bytes were kept)", id)
		}
		_, err = e.stdout.Write(v.Raw)
		return err
	}
	_, err = e.stdout.Write([]byte(v.Text))
	return err
}
