package tracker_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policywatch/internal/tampertest"
	"policywatch/tracker"
	"policywatch/tracker/evidence"
)

// exportedBundle makes a signed archive with a review and an edited
// checklist item, and exports every record as a bundle.
func exportedBundle(t *testing.T) (*tracker.Service, string, tracker.BundleSummary) {
	t.Helper()
	ctx := context.Background()
	svc, _ := tampertest.Archive(t)
	changes, err := svc.Changes(ctx, tracker.ChangeFilter{})
	if err != nil || len(changes) == 0 {
		t.Fatalf("changes: %v", err)
	}
	if err := svc.ReviewChange(ctx, changes[0].ID, "read by counsel"); err != nil {
		t.Fatal(err)
	}
	items, err := svc.Checklist(ctx, tracker.ChecklistFilter{})
	if err != nil || len(items) == 0 {
		t.Fatalf("checklist: %v", err)
	}
	done, owner := tracker.StatusDone, "Dana"
	if _, err := svc.UpdateChecklistItem(ctx, items[0].ID, tracker.ChecklistUpdate{Status: &done, Owner: &owner}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "evidence.zip")
	sum, err := svc.ExportEvidence(ctx, path, tracker.EvidenceSelection{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Versions == 0 || sum.Changes != len(changes) || sum.Items != len(items) || sum.First != 1 || sum.Last != sum.Checkpoint.Entries ||
		!strings.HasPrefix(sum.Seal, "checkpoint ") {
		t.Fatalf("export summary %+v (%d changes, %d items)", sum, len(changes), len(items))
	}
	return svc, path, sum
}

func verifyBundle(t *testing.T, path string, opts evidence.BundleOptions) evidence.BundleVerification {
	t.Helper()
	v, err := evidence.VerifyBundle(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// wantBundleProblem requires a problem on record whose reason has want.
func wantBundleProblem(t *testing.T, v evidence.BundleVerification, record, want string) {
	t.Helper()
	var all []string
	for _, p := range v.Problems {
		all = append(all, p.String())
		if p.Record == record && strings.Contains(p.Reason, want) {
			return
		}
	}
	t.Errorf("no problem on %q with %q; got:\n%s", record, want, strings.Join(all, "\n"))
}

func TestExportedBundleVerifies(t *testing.T) {
	svc, path, sum := exportedBundle(t)
	v := verifyBundle(t, path, evidence.BundleOptions{Key: sum.Key})
	if !v.OK() || v.Versions != sum.Versions || v.Changes != sum.Changes || v.Items != sum.Items || v.Reviews != 1 ||
		!v.KeyLogged || v.Latest == nil || v.Latest.Entries != sum.Last {
		t.Fatalf("bundle does not verify: %+v", v)
	}
	// The export itself is logged: the archive still verifies and knows
	// the bundle's SHA-256.
	av, err := svc.VerifyArchive(context.Background())
	if err != nil || !av.OK() {
		t.Fatalf("archive after export: %v %v", av.Problems, err)
	}
	if f, ok := av.Files[sum.SHA256]; !ok || f.Facts.Format != "zip" || f.Facts.Checkpoint != sum.Last {
		t.Errorf("the export is not logged: %+v", av.Files)
	}
	// Each version's files are the archive's: the text hashes to its SHA-256.
	for _, bv := range v.Manifest.Versions {
		ver, err := svc.Version(context.Background(), bv.Version)
		if err != nil {
			t.Fatal(err)
		}
		if bv.TextSHA256 != ver.SHA256 || bv.Source != "import" || bv.SourceFile == "" || bv.Dataset == "" {
			t.Errorf("version %d in the manifest: %+v", bv.Version, bv.VersionFacts)
		}
	}
}

// TestTamperedBundlesRefused changes a bundle each way an attacker could and
// requires verify-bundle to name what fails.
func TestTamperedBundlesRefused(t *testing.T) {
	_, path, sum := exportedBundle(t)
	var m evidence.BundleManifest
	tampertest.EditBundle(t, path, false, func(_ map[string][]byte, got *evidence.BundleManifest) { m = *got })
	bv := m.Versions[1]
	bc := m.Changes[0]
	edit := func(relist bool, fn func(files map[string][]byte, m *evidence.BundleManifest)) evidence.BundleVerification {
		t.Helper()
		return verifyBundle(t, tampertest.EditBundle(t, path, relist, fn), evidence.BundleOptions{})
	}

	t.Run("edit text", func(t *testing.T) {
		v := edit(false, func(f map[string][]byte, _ *evidence.BundleManifest) {
			f[bv.TextFile] = bytes.Replace(f[bv.TextFile], []byte("a"), []byte("e"), 1)
		})
		wantBundleProblem(t, v, "file "+bv.TextFile, "the file was changed")
		wantBundleProblem(t, v, fmt.Sprintf("version %d", bv.Version), "missing or changed")
	})
	t.Run("edit text and hash", func(t *testing.T) {
		v := edit(true, func(f map[string][]byte, m *evidence.BundleManifest) {
			f[bv.TextFile] = bytes.Replace(f[bv.TextFile], []byte("a"), []byte("e"), 1)
			m.Versions[1].TextSHA256 = evidence.SHA256Hex(f[bv.TextFile])
		})
		wantBundleProblem(t, v, fmt.Sprintf("version %d", bv.Version), "text_sha256 is")
	})
	t.Run("edit raw bytes", func(t *testing.T) {
		v := edit(true, func(f map[string][]byte, _ *evidence.BundleManifest) {
			f[bv.RawFile] = append(f[bv.RawFile], '\n')
		})
		wantBundleProblem(t, v, fmt.Sprintf("version %d", bv.Version), "raw bytes file")
	})
	t.Run("backdate a version", func(t *testing.T) {
		v := edit(true, func(_ map[string][]byte, m *evidence.BundleManifest) {
			m.Versions[1].CapturedAt = "2020-01-01T00:00:00.000Z"
		})
		wantBundleProblem(t, v, fmt.Sprintf("version %d", bv.Version), "captured_at is")
	})
	t.Run("change exposure", func(t *testing.T) {
		v := edit(true, func(_ map[string][]byte, m *evidence.BundleManifest) {
			m.Changes[0].Exposure = tracker.ExposureLow
			m.Changes[0].Findings = nil
		})
		wantBundleProblem(t, v, fmt.Sprintf("change %d", bc.Change), "exposure is")
	})
	t.Run("edit analysis record", func(t *testing.T) {
		v := edit(true, func(f map[string][]byte, _ *evidence.BundleManifest) {
			f[bc.RecordFile] = bytes.Replace(f[bc.RecordFile], []byte(`"high"`), []byte(`"low"`), -1)
		})
		wantBundleProblem(t, v, fmt.Sprintf("change %d", bc.Change), "record file")
	})
	t.Run("mark item done", func(t *testing.T) {
		it := m.Checklist[len(m.Checklist)-1]
		v := edit(true, func(_ map[string][]byte, m *evidence.BundleManifest) {
			m.Checklist[len(m.Checklist)-1].Status = tracker.StatusDone
		})
		wantBundleProblem(t, v, fmt.Sprintf("checklist item %d", it.Item), "status is")
	})
	t.Run("withdraw a review", func(t *testing.T) {
		for i, c := range m.Changes {
			if c.Review != nil && c.Review.Reviewed {
				v := edit(true, func(_ map[string][]byte, m *evidence.BundleManifest) { m.Changes[i].Review = nil })
				wantBundleProblem(t, v, fmt.Sprintf("change %d review", c.Change), "leaves the review out")
				return
			}
		}
		t.Fatal("no reviewed change in the bundle")
	})
	t.Run("edit a log entry", func(t *testing.T) {
		v := edit(true, func(f map[string][]byte, _ *evidence.BundleManifest) {
			es := tampertest.LogLines(t, f[evidence.BundleLogFile])
			es[4].Detail += " (edited)"
			f[evidence.BundleLogFile] = tampertest.JoinLog(t, es)
		})
		wantBundleProblem(t, v, "entry 5", "does not match its hash")
	})
	t.Run("rechain the log", func(t *testing.T) {
		v := edit(true, func(f map[string][]byte, m *evidence.BundleManifest) {
			es := tampertest.LogLines(t, f[evidence.BundleLogFile])
			es[4].Detail += " (edited)"
			for i := 4; i < len(es); i++ {
				es[i].PrevHash = es[i-1].Hash
				es[i].Hash = evidence.Hash(es[i])
			}
			f[evidence.BundleLogFile] = tampertest.JoinLog(t, es)
			m.Log.Head = es[len(es)-1].Hash
		})
		cp := v.Latest
		if cp == nil {
			t.Fatal("no checkpoint")
		}
		wantBundleProblem(t, v, fmt.Sprintf("checkpoint of %d entries signed %s", cp.Entries, evidence.FormatTime(cp.At)), "rewritten after it")
	})
	t.Run("reorder entries", func(t *testing.T) {
		v := edit(true, func(f map[string][]byte, _ *evidence.BundleManifest) {
			es := tampertest.LogLines(t, f[evidence.BundleLogFile])
			es[4], es[5] = es[5], es[4]
			f[evidence.BundleLogFile] = tampertest.JoinLog(t, es)
		})
		wantBundleProblem(t, v, "entry 6", "out of order")
	})
	t.Run("truncate the log", func(t *testing.T) {
		v := edit(true, func(f map[string][]byte, m *evidence.BundleManifest) {
			es := tampertest.LogLines(t, f[evidence.BundleLogFile])
			es = es[:len(es)-3]
			f[evidence.BundleLogFile] = tampertest.JoinLog(t, es)
			m.Log.Last, m.Log.Head = es[len(es)-1].ID, es[len(es)-1].Hash
		})
		wantBundleProblem(t, v, fmt.Sprintf("checkpoint of %d entries signed %s", sum.Checkpoint.Entries, evidence.FormatTime(sum.Checkpoint.At)), "truncated")
	})
	t.Run("drop the checkpoints", func(t *testing.T) {
		v := edit(true, func(f map[string][]byte, _ *evidence.BundleManifest) {
			f[evidence.BundleCheckpointsFile] = []byte("[]")
		})
		wantBundleProblem(t, v, "log", "no signed checkpoint")
	})
	t.Run("swap the key", func(t *testing.T) {
		// Every checkpoint re-signed with the attacker's key, which the
		// manifest and public-key.pem now carry.
		k, err := evidence.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		v := edit(true, func(f map[string][]byte, m *evidence.BundleManifest) {
			var cps []evidence.Checkpoint
			json.Unmarshal(f[evidence.BundleCheckpointsFile], &cps)
			for i := range cps {
				evidence.SignCheckpoint(&cps[i], k)
			}
			f[evidence.BundleCheckpointsFile], _ = json.Marshal(cps)
			m.Key.Fingerprint, m.Key.PublicKey = evidence.Fingerprint(k.Public()), evidence.EncodePublic(k.Public())
			f[evidence.BundleKeyFile] = evidence.PublicPEM(k.Public())
		})
		wantBundleProblem(t, v, "signing key", "the log segment records key")
	})
	t.Run("add and delete files", func(t *testing.T) {
		v := edit(false, func(f map[string][]byte, _ *evidence.BundleManifest) {
			f["versions/999.text.md"] = []byte("planted")
			delete(f, bc.RecordFile)
		})
		wantBundleProblem(t, v, "file versions/999.text.md", "not listed")
		wantBundleProblem(t, v, "file "+bc.RecordFile, "missing from the bundle")
	})
	t.Run("expected key", func(t *testing.T) {
		v := verifyBundle(t, path, evidence.BundleOptions{Key: strings.Repeat("ab", 32)})
		wantBundleProblem(t, v, "signing key", "not the expected")
	})
	if _, err := evidence.VerifyBundle(filepath.Join(t.TempDir(), "missing.zip"), evidence.BundleOptions{}); err == nil {
		t.Error("a missing file verified")
	}
	notZip := filepath.Join(t.TempDir(), "x.zip")
	os.WriteFile(notZip, []byte("not a zip"), 0o644)
	if _, err := evidence.VerifyBundle(notZip, evidence.BundleOptions{}); err == nil || !strings.Contains(err.Error(), "not a readable evidence bundle") {
		t.Errorf("not a zip: %v", err)
	}
}

// TestBundleSelection: --platform narrows the records and starts the log
// segment at the entry of the oldest one; the segment then no longer logs
// the key, and the bundle says so (its checkpoints are checked with the
// bundle's key), so a key swap is caught against the expected fingerprint.
// --since keeps the changes detected from then on.
func TestBundleSelection(t *testing.T) {
	ctx := context.Background()
	svc, _ := tampertest.Archive(t)
	// A platform imported after the archive was made and signed.
	late := writeDataset(t, "Latecomer", "Privacy Policy", map[string]string{
		"2025-02-01T00-00-00Z": policyText(6, noSale), "2025-05-01T00-00-00Z": policyText(6, sellData)})
	if _, err := svc.ImportOTA(ctx, late, nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "narrow.zip")
	sum, err := svc.ExportEvidence(ctx, path, tracker.EvidenceSelection{Platforms: []string{"latecomer"}})
	if err != nil {
		t.Fatal(err)
	}
	v := verifyBundle(t, path, evidence.BundleOptions{})
	if !v.OK() || sum.Versions != 2 || sum.Changes != 1 || sum.Documents != 1 || sum.First <= 1 || v.KeyLogged || len(v.Notes) == 0 {
		t.Fatalf("narrow bundle %+v: %v %v", sum, v.Problems, v.Notes)
	}
	k, _ := evidence.NewKey()
	swapped := tampertest.EditBundle(t, path, true, func(f map[string][]byte, m *evidence.BundleManifest) {
		var cps []evidence.Checkpoint
		json.Unmarshal(f[evidence.BundleCheckpointsFile], &cps)
		for i := range cps {
			evidence.SignCheckpoint(&cps[i], k)
		}
		f[evidence.BundleCheckpointsFile], _ = json.Marshal(cps)
		m.Key.Fingerprint, m.Key.PublicKey = evidence.Fingerprint(k.Public()), evidence.EncodePublic(k.Public())
		f[evidence.BundleKeyFile] = evidence.PublicPEM(k.Public())
	})
	wantBundleProblem(t, verifyBundle(t, swapped, evidence.BundleOptions{Key: sum.Key}), "signing key", "not the expected")

	all, err := svc.Changes(ctx, tracker.ChangeFilter{})
	if err != nil || len(all) < 3 {
		t.Fatalf("changes: %d %v", len(all), err)
	}
	since := all[len(all)/2].DetectedAt
	sincePath := filepath.Join(dir, "since.zip")
	if _, err := svc.ExportEvidence(ctx, sincePath, tracker.EvidenceSelection{Since: since}); err != nil {
		t.Fatal(err)
	}
	v = verifyBundle(t, sincePath, evidence.BundleOptions{})
	if !v.OK() || len(v.Manifest.Changes) == 0 || len(v.Manifest.Changes) >= len(all) {
		t.Fatalf("--since bundle: %d of %d changes, %v", len(v.Manifest.Changes), len(all), v.Problems)
	}
	for _, c := range v.Manifest.Changes {
		if mustTime(t, c.DetectedAt).Before(since) {
			t.Errorf("change %d detected before --since", c.Change)
		}
	}

	if _, err := svc.ExportEvidence(ctx, filepath.Join(dir, "x.zip"), tracker.EvidenceSelection{Platforms: []string{"no-such-platform"}}); err == nil {
		t.Error("an unknown platform was accepted")
	}
	if _, err := svc.ExportEvidence(ctx, filepath.Join(dir, "missing", "x.zip"), tracker.EvidenceSelection{}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing folder: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".policywatch-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := evidence.ParseTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// TestExportNeedsASigningKey: without a key no bundle is written.
func TestExportNeedsASigningKey(t *testing.T) {
	svc, _ := newTestService(t)
	path := filepath.Join(t.TempDir(), "b.zip")
	if _, err := svc.ExportEvidence(context.Background(), path, tracker.EvidenceSelection{}); err == nil || !strings.Contains(err.Error(), "signed checkpoint") {
		t.Errorf("export without a key: %v", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a bundle was written")
	}
}
