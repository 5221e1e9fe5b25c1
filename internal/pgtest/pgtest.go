// Package pgtest runs a throwaway PostgreSQL server for a test binary: a
// cluster made with initdb in a temporary folder, listening on a free
// loopback port, started on first use, shared by the binary's tests (each
// gets a database of its own) and removed when the binary ends.
//
// A package whose tests use it calls Main from its TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// The server binaries come from POLICYWATCH_PG_BIN, else the newest
// /usr/lib/postgresql/N/bin (Debian's postgresql package, which `make test`
// installs through scripts/install-deps.sh), else the PATH. Without them
// the tests that need the server fail with the command that installs them:
// the team store is never left untested by accident. POLICYWATCH_TEST_PG
// may instead name a server to use (a postgres:// URL of a role allowed to
// create databases); each test then gets a new database there.
//
// PostgreSQL refuses to run as root: as root, the cluster belongs to the
// unprivileged user "nobody" and initdb and pg_ctl run through runuser.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// tempPrefix names the folders of clusters this package makes, so that a
// later run can remove those a killed test binary left behind.
const tempPrefix = "policywatch-pgtest-"

var (
	mainCalled bool
	startOnce  sync.Once
	started    *cluster
	startErr   error
	serial     atomic.Int64
)

// cluster is a running server.
type cluster struct {
	dir    string // the temporary folder: data, socket and log
	bin    string // folder of initdb and pg_ctl
	runAs  string // the unprivileged user the server runs as ("" = this one)
	admin  string // URL of the superuser's maintenance database
	port   int
	remote bool // POLICYWATCH_TEST_PG: a server this package did not start
}

// Main runs the tests of m and stops the cluster if one was started. Call it
// from TestMain.
func Main(m *testing.M) int {
	mainCalled = true
	code := m.Run()
	if started != nil && !started.remote {
		started.stop()
	}
	return code
}

// Available reports whether a server can be had (binaries present or
// POLICYWATCH_TEST_PG set), without starting one.
func Available() bool {
	if os.Getenv("POLICYWATCH_TEST_PG") != "" {
		return true
	}
	_, err := binDir()
	return err == nil
}

// DSN returns the URL of a new, empty database on the shared server, owned
// by the superuser; it is dropped when the test ends. The server starts on
// the first call.
func DSN(tb testing.TB) string {
	tb.Helper()
	c := server(tb)
	name := fmt.Sprintf("pwtest_%d_%d", os.Getpid(), serial.Add(1))
	if err := c.exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("pgtest: create database: %v", err)
	}
	tb.Cleanup(func() {
		// Connections a test left open (a listener, a pool being closed)
		// must not keep the database alive.
		c.exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return c.url(name, "postgres", "")
}

// Role creates a login role with the given password and memberships on the
// shared server (roles are cluster-wide: the name gets a unique suffix) and
// returns its name; it is dropped when the test ends. Memberships may name
// roles made by a script the test ran; missing ones are an error.
func Role(tb testing.TB, base, password string, memberOf ...string) string {
	tb.Helper()
	c := server(tb)
	name := fmt.Sprintf("%s_%d_%d", base, os.Getpid(), serial.Add(1))
	q := fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", name, strings.ReplaceAll(password, "'", "''"))
	if len(memberOf) > 0 {
		q += " IN ROLE " + strings.Join(memberOf, ", ")
	}
	if err := c.exec(context.Background(), q); err != nil {
		tb.Fatalf("pgtest: create role: %v", err)
	}
	tb.Cleanup(func() {
		// A role that owns objects in a dropped database is gone with it;
		// DROP OWNED cleans grants left in others.
		c.exec(context.Background(), "DROP ROLE IF EXISTS "+name)
	})
	return name
}

// As returns dsn with the user and password replaced.
func As(dsn, role, password string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	u.User = url.UserPassword(role, password)
	return u.String()
}

// Exec runs SQL on the database dsn names, as the user it names.
func Exec(tb testing.TB, dsn, sql string) {
	tb.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		tb.Fatalf("pgtest: %v\n%s", err, sql)
	}
}

// Bin returns the folder holding the server's client programs (psql,
// pg_dump, pg_restore) of the version that runs the tests.
func Bin(tb testing.TB) string {
	tb.Helper()
	dir, err := binDir()
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

func server(tb testing.TB) *cluster {
	tb.Helper()
	if !mainCalled {
		tb.Fatal("pgtest: the package's TestMain must call pgtest.Main(m), which stops the server when the tests end")
	}
	startOnce.Do(func() { started, startErr = start() })
	if startErr != nil {
		tb.Fatalf("pgtest: %v", startErr)
	}
	return started
}

func (c *cluster) url(db, user, password string) string {
	if c.remote {
		u, _ := url.Parse(c.admin)
		u.Path = "/" + db
		return u.String()
	}
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)), Path: "/" + db,
		RawQuery: "sslmode=disable"}
	if password != "" {
		u.User = url.UserPassword(user, password)
	} else {
		u.User = url.User(user)
	}
	return u.String()
}

func (c *cluster) exec(ctx context.Context, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.admin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// binDir finds initdb and pg_ctl.
func binDir() (string, error) {
	if dir := os.Getenv("POLICYWATCH_PG_BIN"); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err != nil {
			return "", fmt.Errorf("POLICYWATCH_PG_BIN=%s has no initdb: %w", dir, err)
		}
		return dir, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("the PostgreSQL server is not installed, and the team store's tests need a real one: " +
		"run `make test` (scripts/install-deps.sh --test installs it) or `apt-get install postgresql`; " +
		"POLICYWATCH_PG_BIN may name the folder of initdb and pg_ctl, POLICYWATCH_TEST_PG a server to use")
}

func versionOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func start() (*cluster, error) {
	if remote := os.Getenv("POLICYWATCH_TEST_PG"); remote != "" {
		return &cluster{admin: remote, remote: true}, nil
	}
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	removeAbandoned()
	dir, err := os.MkdirTemp("", tempPrefix)
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir, bin: bin}
	if os.Geteuid() == 0 {
		// The server refuses root: the cluster belongs to nobody.
		c.runAs = "nobody"
		u, err := user.Lookup(c.runAs)
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root, the test server needs the unprivileged user %q: %w", c.runAs, err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644)
	data := filepath.Join(dir, "data")
	// An ICU collation unlike SQLite's byte order, so that an ORDER BY that
	// forgets COLLATE "C" shows in the shared store tests.
	if out, err := c.run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8",
		"--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=en-US"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		port, err := freePort()
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		c.port = port
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "+
			"-c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB", port, dir)
		out, err := c.run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "server.log"), "-w", "-t", "60", "-o", opts, "start")
		if err == nil {
			c.admin = c.url("postgres", "postgres", "")
			return c, nil
		}
		log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		lastErr = fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
		if !strings.Contains(string(log), "in use") {
			break
		}
	}
	os.RemoveAll(dir)
	return nil, lastErr
}

// run runs one of the server's programs, as the cluster's user.
func (c *cluster) run(prog string, args ...string) ([]byte, error) {
	path := filepath.Join(c.bin, prog)
	var cmd *exec.Cmd
	if c.runAs != "" {
		cmd = exec.Command("runuser", append([]string{"-u", c.runAs, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	return cmd.CombinedOutput()
}

func (c *cluster) stop() {
	c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.dir)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// removeAbandoned stops and removes clusters whose test binary has ended
// without removing them (killed by a timeout, say).
func removeAbandoned() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, dir := range dirs {
		raw, err := os.ReadFile(filepath.Join(dir, "owner.pid"))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
		if err != nil || processAlive(pid) {
			continue
		}
		bin, err := binDir()
		if err != nil {
			return
		}
		c := &cluster{dir: dir, bin: bin}
		if os.Geteuid() == 0 {
			c.runAs = "nobody"
		}
		c.stop()
	}
}

func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
