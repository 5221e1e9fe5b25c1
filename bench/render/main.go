// Command render measures `policywatch check` of N pages rendered in the
// headless browser beside the same N pages fetched over HTTP, in one run, on
// 127.0.0.1.
//
// It serves N policy pages of about 100 KB twice: as static HTML (for
// render mode http) and as a script shell whose script builds the same policy
// after a short delay (render mode browser). For each path it adds the N
// documents to a fresh archive through the CLI and times a full check as a
// subprocess: wall time; CPU (user + system of policywatch and of every
// process it started, Chromium's included, from the kernel's accounting of
// reaped children); and the peak memory of the whole process tree, sampled
// every 50 ms from /proc: the sum of RSS and the sum of PSS (shared pages
// split between the processes sharing them, which RSS counts once per
// process). It prints a Markdown table and the ratios browser/HTTP.
//
// Usage: make build && go run ./bench/render [-n 200] [-bin ./policywatch] [-concurrency 8]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	n := flag.Int("n", 200, "pages per path")
	bin := flag.String("bin", "./policywatch", "policywatch binary")
	concurrency := flag.Int("concurrency", 8, "check --concurrency")
	flag.Parse()
	if _, err := os.Stat(*bin); err != nil {
		log.Fatalf("%s not found: build it first (make build)", *bin)
	}
	work, err := os.MkdirTemp("", "pw-render-bench")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(servePage)}
	go srv.Serve(l)
	defer srv.Close()
	base := "http://" + l.Addr().String()

	fmt.Printf("%d pages of about %d KB per path, check --concurrency %d, %s, %d CPUs\n\n", *n, len(policyHTML(0))/1024, *concurrency, time.Now().UTC().Format(time.RFC3339), numCPU())
	fmt.Println("| path | wall | CPU (user+sys, reaped children included) | CPU (sampled per process) | peak RSS (tree sum) | peak PSS (tree sum) | result |")
	fmt.Println("|---|---|---|---|---|---|---|")
	var results []result
	for _, path := range []struct{ name, render, prefix string }{
		{"HTTP (static pages)", "http", "/static/"},
		{"browser (script-built pages)", "browser", "/js/"},
	} {
		db := filepath.Join(work, path.render+".db")
		for i := 0; i < *n; i++ {
			out, err := exec.Command(*bin, "--db", db, "platforms", "add", "--name", fmt.Sprintf("Site %d", i),
				"--url", fmt.Sprintf("%s%s%d", base, path.prefix, i), "--kind", "privacy-policy", "--select", "main",
				"--render", path.render).CombinedOutput()
			if err != nil {
				log.Fatalf("platforms add: %v: %s", err, out)
			}
		}
		args := []string{"--db", db, "check", "--concurrency", strconv.Itoa(*concurrency)}
		if os.Getenv("BENCH_VERBOSE") == "" {
			args = append(args, "--quiet")
		}
		r := measure(exec.Command(*bin, args...))
		r.name = path.name
		results = append(results, r)
		fmt.Printf("| %s | %.1f s | %.1f s | %.1f s | %d MiB | %d MiB | %s |\n", r.name, r.wall.Seconds(), r.cpu.Seconds(), r.sampledCPU.Seconds(), r.peakRSS>>20, r.peakPSS>>20, r.summary)
	}
	h, b := results[0], results[1]
	// The kernel accounts a child's CPU to its parent only once reaped, and
	// not every Chromium process is reaped inside the tree: take the larger
	// of the two measures.
	cpu := func(r result) float64 { return max(r.cpu, r.sampledCPU).Seconds() }
	fmt.Printf("\nbrowser / HTTP: wall %.1f×, CPU %.1f×, peak RSS %.1f×, peak PSS %.1f×; per page: HTTP %.0f ms, browser %.0f ms of wall time\n",
		b.wall.Seconds()/h.wall.Seconds(), cpu(b)/cpu(h), float64(b.peakRSS)/float64(h.peakRSS),
		float64(b.peakPSS)/float64(h.peakPSS), h.wall.Seconds()*1000/float64(*n), b.wall.Seconds()*1000/float64(*n))
}

// pageDelay is how long the script waits before building the policy, as
// pages that fetch their content do.
const pageDelay = 200 * time.Millisecond

func servePage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(filepath.Base(r.URL.Path))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	body := policyHTML(id)
	if strings.HasPrefix(r.URL.Path, "/js/") {
		fmt.Fprintf(w, `<html><head><title>Policy %d</title></head><body><div id="root"></div><script>
setTimeout(() => { document.getElementById('root').innerHTML = %s; }, %d);
</script></body></html>`, id, strconv.Quote(body), pageDelay.Milliseconds())
		return
	}
	fmt.Fprintf(w, `<html><head><title>Policy %d</title></head><body>%s</body></html>`, id, body)
}

// policyHTML is a ~100 KB policy inside <main>, different for each id.
func policyHTML(id int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<nav><a href='/'>Home</a></nav><main><h1>Privacy Policy of Site %d</h1><p>Last updated: March 3, 2025</p>", id)
	for s := 1; s <= 60; s++ {
		fmt.Fprintf(&b, "<h2>Section %d</h2>", s)
		for p := 0; p < 4; p++ {
			fmt.Fprintf(&b, "<p>Site %d collects the information you give us in section %d, paragraph %d, such as your name, e-mail address, "+
				"postal address and the content you post, and uses it to provide, secure and improve the service, to communicate with "+
				"you and, where the law allows, to personalise what you see.</p>", id, s, p)
		}
	}
	b.WriteString("</main><footer>© Example</footer>")
	return b.String()
}

type result struct {
	name             string
	wall, cpu        time.Duration
	sampledCPU       time.Duration
	peakRSS, peakPSS int64
	summary          string
}

// measure runs cmd, sampling its process tree's memory, and returns its
// wall time, its and its reaped children's CPU, and the peak sums.
func measure(cmd *exec.Cmd) result {
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	var mu sync.Mutex
	var peakRSS, peakPSS int64
	lastCPU := map[int]time.Duration{} // per process of the tree, its CPU when last seen
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				rss, pss, cpus := treeMemory(cmd.Process.Pid)
				mu.Lock()
				peakRSS, peakPSS = max(peakRSS, rss), max(peakPSS, pss)
				for pid, t := range cpus {
					lastCPU[pid] = t
				}
				mu.Unlock()
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	if os.Getenv("BENCH_VERBOSE") != "" {
		fmt.Fprintln(os.Stderr, out.String())
	}
	wall := time.Since(start)
	if err != nil {
		log.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out.String())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	mu.Lock()
	defer mu.Unlock()
	summary := ""
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "checked ") {
			summary = line
		}
	}
	var sampled time.Duration
	for _, t := range lastCPU {
		sampled += t
	}
	return result{wall: wall, cpu: cpu, sampledCPU: sampled, peakRSS: peakRSS, peakPSS: peakPSS, summary: summary}
}

// treeMemory sums VmRSS and Pss (bytes) over pid and its descendants, and
// returns each one's CPU time so far.
func treeMemory(pid int) (rss, pss int64, cpu map[int]time.Duration) {
	cpu = map[int]time.Duration{}
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp := ppid(p); pp > 0 {
			children[pp] = append(children[pp], p)
		}
	}
	stack := []int{pid}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		rss += statusKB(fmt.Sprintf("/proc/%d/status", p), "VmRSS:") << 10
		pss += statusKB(fmt.Sprintf("/proc/%d/smaps_rollup", p), "Pss:") << 10
		cpu[p] = procCPU(p)
		stack = append(stack, children[p]...)
	}
	return rss, pss, cpu
}

// procCPU is a process's user+system time from /proc/PID/stat (clock ticks
// of 10 ms on Linux).
func procCPU(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

func ppid(pid int) int {
	return int(statusKB(fmt.Sprintf("/proc/%d/status", pid), "PPid:"))
}

// statusKB reads the number after key in a /proc file ("VmRSS: 1234 kB").
func statusKB(path, key string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, key) {
			fields := strings.Fields(line[len(key):])
			if len(fields) > 0 {
				v, _ := strconv.ParseInt(fields[0], 10, 64)
				return v
			}
		}
	}
	return 0
}

func numCPU() int {
	n := 0
	data, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "processor") {
			n++
		}
	}
	return n
}
