package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"

	"policywatch/tracker"
	"policywatch/tracker/postgres"
	"policywatch/tracker/transfer"
)

// cmdMigrate copies a whole archive into an empty one, in either direction
// between an SQLite file and a PostgreSQL database, and checks the copy:
//
//	migrate --from FILE.db --to postgres://…     a team starts sharing an archive
//	migrate --from postgres://… --to FILE.db     a backup of the team archive
//
// The copy keeps every id, the log and its checkpoints; it is checked
// table by table (row counts, the log's head) and then verified on both
// sides as `audit verify` does. The archive's signing key goes along to the
// copy's secret store.
func cmdMigrate(e *env) error {
	fl := newFlags("migrate")
	from := fl.String("from", "", "the archive to copy: an SQLite file or a postgres:// URL")
	to := fl.String("to", "", "the empty archive to copy it into: a new SQLite file or a postgres:// URL")
	rest, err := parseFlags(fl, e.args)
	if err != nil {
		return err
	}
	if len(rest) > 0 || *from == "" || *to == "" {
		return usagef("migrate takes --from ARCHIVE --to ARCHIVE (a file path or a postgres:// URL each)")
	}
	if *from == *to {
		return usagef("migrate: --from and --to name the same archive")
	}
	ctx := e.ctx
	src, err := openExisting(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	srcSvc, err := newService(ctx, src, *from)
	if err != nil {
		return err
	}
	created := false
	if !isTeamArchive(*to) {
		if _, err := os.Stat(*to); errors.Is(err, fs.ErrNotExist) {
			created = true
		}
	}
	dst, err := openStore(ctx, *to)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		dst.Close()
		if created {
			removeArchiveFile(*to)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "Copying %s into %s…\n", src.Path(), dst.Path())
	rep, err := transfer.Copy(ctx, src, dst)
	if err != nil {
		return fail(err)
	}
	if err := carryKey(ctx, srcSvc, *from, *to); err != nil {
		fmt.Fprintf(e.stderr, "policywatch: the copy cannot sign checkpoints until `audit new-key`: %v\n", err)
	}
	dstSvc, err := newService(ctx, dst, *to)
	if err != nil {
		return fail(err)
	}
	defer dst.Close()
	printCopy(e, rep)
	a, err := srcSvc.VerifyArchive(ctx)
	if err != nil {
		return err
	}
	b, err := dstSvc.VerifyArchive(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "audit verify of the source: %s\n", verdict(a))
	fmt.Fprintf(e.stdout, "audit verify of the copy:   %s\n", verdict(b))
	for _, p := range append(a.Problems, b.Problems...) {
		fmt.Fprintf(e.stdout, "  %s\n", p)
	}
	switch {
	case !a.OK() || !b.OK():
		return fmt.Errorf("the copy was made but verification FAILED: %d problem(s) in the source, %d in the copy", len(a.Problems), len(b.Problems))
	case a.Entries != b.Entries || a.Head != b.Head || a.Versions != b.Versions || a.Analyses != b.Analyses ||
		a.Items != b.Items || a.Reviews != b.Reviews || a.Checkpoints != b.Checkpoints:
		return fmt.Errorf("the copy verifies but differs from the source: %d/%d entries, %d/%d versions, %d/%d checkpoints",
			a.Entries, b.Entries, a.Versions, b.Versions, a.Checkpoints, b.Checkpoints)
	}
	if err := srcSvc.RecordCopy(ctx, dst.Path()); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "The copy is complete and verified. Point PolicyWatch at it with --db %s (or POLICYWATCH_DB, or Settings).\n", redacted(*to))
	return nil
}

func printCopy(e *env, rep transfer.Report) {
	names := make([]string, 0, len(rep.Rows))
	for n := range rep.Rows {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(e.stdout, "Copied %d rows in %d tables; both sides have the same count in each:\n", rep.Total(), len(names))
	for _, n := range names {
		fmt.Fprintf(e.stdout, "  %-24s %d\n", n, rep.Rows[n])
	}
	fmt.Fprintf(e.stdout, "Log: %d entries on both sides, head %s\n", rep.Entries, rep.Head)
}

func verdict(v tracker.Verification) string {
	status := "OK"
	if !v.OK() {
		status = fmt.Sprintf("FAILED (%d problems)", len(v.Problems))
	}
	key := "no signing key yet"
	if v.Key.Fingerprint != "" {
		key = "signing key " + v.Key.Fingerprint[:min(16, len(v.Key.Fingerprint))]
		if !v.Key.Held {
			key += " (not held here)"
		}
	}
	return fmt.Sprintf("%s — %d entries, head %s, %d versions, %d analyses, %d reviews, %d checklist items, %d checkpoints, %s",
		status, v.Entries, v.Head, v.Versions, v.Analyses, v.Reviews, v.Items, v.Checkpoints, key)
}

// carryKey copies the archive's signing key from the source's secret store
// to the copy's, when they differ and the copy's lacks it.
func carryKey(ctx context.Context, svc *tracker.Service, from, to string) error {
	archive, err := svc.ArchiveID(ctx)
	if err != nil {
		return err
	}
	name := tracker.SigningKeySecret(archive)
	key, err := secretsFor(from).Get(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // no key yet: the first checkpoint makes one
	}
	if err != nil {
		return err
	}
	dst := secretsFor(to)
	if have, err := dst.Get(name); err == nil && have == key {
		return nil
	}
	return dst.Set(name, key)
}

// redacted shows an archive's location without a password.
func redacted(loc string) string {
	if isTeamArchive(loc) {
		return postgres.Redact(loc)
	}
	return loc
}
