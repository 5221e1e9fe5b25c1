package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"policywatch/resources"
	"policywatch/tracker"
	"policywatch/tracker/alerts"
	"policywatch/tracker/analysis"
)

const usageText = `PolicyWatch: track the privacy policies and terms your organisation depends on.

Usage:
  policywatch [--db PATH|postgres://…]             open the desktop app (every command takes either store)
  policywatch [--db PATH] check [--platform SLUG]... [--concurrency N]
  policywatch [--db PATH] import-ota PATH [--since DATE]   Open Terms Archive dataset, folder or .zip; history before --since raises no open items
  policywatch [--db PATH] platforms [--json]
  policywatch [--db PATH] platforms track SLUG | untrack SLUG
  policywatch [--db PATH] platforms add --name NAME --url URL [--kind KIND] [--select CSS] [--remove CSS] [--render auto|http|browser]
  policywatch [--db PATH] platforms discover URL [--json] [--add [--name NAME]]
  policywatch [--db PATH] documents [--json] [--platform SLUG]
  policywatch [--db PATH] history DOC_ID [--json]
  policywatch [--db PATH] re-extract DOC_ID
  policywatch [--db PATH] changes [--json] [--since DATE] [--platform SLUG] [--min-exposure LEVEL]
  policywatch [--db PATH] report [--pdf FILE] [--xlsx FILE] [--since DATE] [--until DATE] [--platform SLUG]...
                                 [--jurisdiction CODE]... [--min-exposure LEVEL] [--deterministic] [--excerpts flagged|all]
  policywatch [--db PATH] checklist [--json] | checklist set ID --status STATUS [--owner O] [--note N] [--due DATE]
  policywatch [--db PATH] checklist import FILE.xlsx   status/owner/due/note edited in an exported workbook
  policywatch [--db PATH] profile [--json] | profile set --jurisdictions EU,US-CA [--name N --email E] [...]
  policywatch [--db PATH] audit [--json] | audit verify [--json] [--checkpoint FILE]...
  policywatch [--db PATH] audit checkpoint [--out FILE] | audit key | audit new-key --reason R | audit tsa [URL|--off]
  policywatch [--db PATH] text VERSION_ID [--raw]
  policywatch [--db PATH] changes review ID [--note N] | changes unreview ID
  policywatch [--db PATH] backup FILE
  policywatch [--db PATH] watch [--once] [--every DURATION]   scheduled checks and alerts, headless
  policywatch [--db PATH] alerts [--json] | alerts test ID | alerts remove ID | alerts log [ID] [--json]
  policywatch [--db PATH] alerts add --webhook URL [--format json|slack|teams] RULES
  policywatch [--db PATH] alerts add --email TO --smtp smtp[s]://[USER@]HOST:PORT [--from ADDR] [--attach-pdf] RULES
  policywatch [--db PATH] alerts add --desktop RULES
      RULES: [--min-exposure LEVEL] [--jurisdiction CODE]... [--category ID]... [--platform SLUG]...
             [--digest none|daily|weekly] [--health-after N|Nd|N,Nd]
      (the SMTP password comes from POLICYWATCH_SMTP_PASSWORD or a prompt)
  policywatch [--db PATH] policywatch://change/ID  open the app on a change (the link in alerts)
  policywatch [--db PATH] verify-report FILE.pdf|FILE.xlsx [--bundle FILE.zip [--key FINGERPRINT]] [--json]
  policywatch [--db PATH] export-evidence FILE.zip [--since DATE] [--platform SLUG]...
  policywatch verify-bundle FILE.zip [--key FINGERPRINT] [--checkpoint FILE]... [--json]   offline, no database
  policywatch migrate --from FILE.db --to postgres://…   copy an archive into a team database, checked and verified
  policywatch migrate --from postgres://… --to FILE.db   and back, for a backup of a team archive
  policywatch analyze OLD NEW [--json] [--jurisdictions EU,US-CA]
  policywatch diff OLD NEW
  policywatch version

The database defaults to $XDG_DATA_HOME/policywatch/policywatch.db (or the OS
equivalent); --db PATH or POLICYWATCH_DB overrides it. A postgres:// URL there
opens a team archive in PostgreSQL (password from the URL, PGPASSWORD, ~/.pgpass
or the keyring).
Exit codes: 0 success, 1 failure, 2 bad usage.
`

// usageError marks bad command-line usage (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// env is what every command gets: its arguments, output streams and a lazily
// opened service.
type env struct {
	ctx    context.Context
	args   []string
	stdout io.Writer
	stderr io.Writer
	dbPath string // a file path, or a postgres:// URL
	store  archiveStore
	svc    *tracker.Service
}

// service opens the archive and the service on first use.
func (e *env) service() (*tracker.Service, error) {
	if e.svc != nil {
		return e.svc, nil
	}
	store, err := openStore(e.ctx, e.dbPath)
	if err != nil {
		return nil, err
	}
	svc, err := newService(e.ctx, store, e.dbPath)
	if err != nil {
		store.Close()
		return nil, err
	}
	e.store, e.svc = store, svc
	return svc, nil
}

// newService builds the service over an open archive found at loc, with the
// catalog, the rules and the archive's secret store.
func newService(ctx context.Context, store tracker.Store, loc string) (*tracker.Service, error) {
	catalog, err := tracker.ParseCatalog(resources.Catalog)
	if err != nil {
		return nil, err
	}
	rules, err := loadRules()
	if err != nil {
		return nil, err
	}
	var svc *tracker.Service
	svc, err = tracker.NewService(ctx, store, catalog, tracker.WithRules(rules), tracker.WithVersion(version),
		tracker.WithSecrets(secretsFor(loc)),
		tracker.WithChangePDF(func(ctx context.Context, id int64) (alerts.Attachment, error) { return changePDF(ctx, svc, id) }))
	return svc, err
}

func (e *env) close() {
	if e.store != nil {
		e.store.Close()
	}
}

// command is one CLI command.
type command func(e *env) error

var commands map[string]command

func init() {
	commands = map[string]command{
		"version":         cmdVersion,
		"platforms":       cmdPlatforms,
		"documents":       cmdDocuments,
		"history":         cmdHistory,
		"profile":         cmdProfile,
		"audit":           cmdAudit,
		"backup":          cmdBackup,
		"check":           cmdCheck,
		"import-ota":      cmdImportOTA,
		"re-extract":      cmdReExtract,
		"analyze":         cmdAnalyze,
		"diff":            cmdDiff,
		"changes":         cmdChanges,
		"checklist":       cmdChecklist,
		"report":          cmdReport,
		"text":            cmdText,
		"watch":           cmdWatch,
		"alerts":          cmdAlerts,
		"verify-report":   cmdVerifyReport,
		"export-evidence": cmdExportEvidence,
		"verify-bundle":   cmdVerifyBundle,
		"migrate":         cmdMigrate,
	}
}

// run parses global flags, dispatches to a command and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	global := flag.NewFlagSet("policywatch", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	dbFlag := global.String("db", "", "database file")
	help := global.Bool("help", false, "show usage")
	global.BoolVar(help, "h", false, "show usage")
	if err := global.Parse(args); err != nil {
		fmt.Fprintf(stderr, "policywatch: %v\n\n%s", err, usageText)
		return 2
	}
	if *help {
		fmt.Fprint(stdout, usageText)
		return 0
	}
	e := &env{ctx: ctx, stdout: stdout, stderr: stderr, dbPath: databasePath(*dbFlag)}
	defer e.close()
	rest := global.Args()
	if len(rest) == 0 {
		return exitCode(stderr, runGUI(e))
	}
	if id, ok := tracker.ParseChangeLink(rest[0]); ok && len(rest) == 1 {
		// The desktop file registers policywatch:// links: open the change.
		return exitCode(stderr, runGUIOn(e, id))
	}
	cmd, ok := commands[rest[0]]
	if !ok {
		fmt.Fprintf(stderr, "policywatch: unknown command %q\n\n%s", rest[0], usageText)
		return 2
	}
	e.args = rest[1:]
	return exitCode(stderr, cmd(e))
}

// exitCode prints err as one line and maps it to an exit code.
func exitCode(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "policywatch: %s\n\n%s", ue.msg, usageText)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stderr, usageText)
		return 2
	}
	fmt.Fprintf(stderr, "policywatch: %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
	return 1
}

// databasePath resolves --db, then POLICYWATCH_DB, then the archive chosen
// in Settings, then the file in the per-user data folder.
func databasePath(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := os.Getenv("POLICYWATCH_DB"); v != "" {
		return v
	}
	if v := chosenDatabase(); v != "" {
		return v
	}
	return filepath.Join(dataDir(), "policywatch", "policywatch.db")
}

// dataDir is the OS's per-user data folder.
func dataDir() string {
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Application Support")
	case "windows":
		if v := os.Getenv("LOCALAPPDATA"); v != "" {
			return v
		}
		return filepath.Join(home, "AppData", "Local")
	}
	if v := os.Getenv("XDG_DATA_HOME"); v != "" {
		return v
	}
	return filepath.Join(home, ".local", "share")
}

// rulesPath is the user's rules file, which overrides or extends the
// built-in rules: POLICYWATCH_RULES, else rules.json in the data folder.
func rulesPath() string {
	if v := os.Getenv("POLICYWATCH_RULES"); v != "" {
		return v
	}
	return filepath.Join(dataDir(), "policywatch", "rules.json")
}

// loadRules parses the built-in rules and merges the user's file if present.
func loadRules() (*analysis.Rules, error) {
	rules, err := analysis.ParseRules(resources.Rules)
	if err != nil {
		return nil, fmt.Errorf("built-in rules: %w", err)
	}
	path := rulesPath()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return rules, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read rules file %s: %w", path, err)
	}
	user, err := analysis.ParseUserRules(data)
	if err != nil {
		return nil, fmt.Errorf("rules file %s: %w (fix it or remove it to use the built-in rules)", path, err)
	}
	merged, err := analysis.MergeRules(rules, user)
	if err != nil {
		return nil, fmt.Errorf("rules file %s: %w (fix it or remove it to use the built-in rules)", path, err)
	}
	return merged, nil
}

// newFlags returns a flag set for a command whose errors become usage errors.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args allowing flags and positional arguments in any order.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// listFlag collects a repeatable flag; comma-separated values are split.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set adds one or more comma-separated values.
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cmdVersion(e *env) error {
	if len(e.args) > 0 {
		return usagef("version takes no arguments")
	}
	fmt.Fprintf(e.stdout, "policywatch %s (%s/%s, %s)\n", version, runtime.GOOS, runtime.GOARCH, runtime.Version())
	return nil
}
