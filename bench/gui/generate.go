// Command gui builds a large PolicyWatch archive for the GUI benchmarks:
// every catalog platform tracked, 100,000 analysed changes (with findings,
// jurisdictions and some checklist items) spread over five years, written
// through the tracker.Store transaction interface in big transactions.
// Every version, analysis and checklist item is entered in the evidence log
// as the service would (tracker.RecordVersion, RecordAnalysis,
// RecordChecklistItem), and a checkpoint is signed at the end with a key
// kept in <db>.secrets, so `policywatch --db FILE audit verify` passes.
//
//	go run ./bench/gui -db /tmp/big.db -changes 100000
//
// The benchmarks in this folder (go test -tags ci -bench . ./bench/gui/)
// generate the same archive once in a temporary folder.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"time"

	"policywatch/resources"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
	"policywatch/tracker/evidence"
	"policywatch/tracker/secrets"
	"policywatch/tracker/sqlite"
)

// actor names the generator in the evidence log.
const actor = "generator"

func main() {
	db := flag.String("db", "", "database file to create (must not exist)")
	n := flag.Int("changes", 100000, "number of changes")
	flag.Parse()
	if *db == "" {
		fmt.Fprintln(os.Stderr, "usage: gui -db FILE [-changes N]")
		os.Exit(2)
	}
	start := time.Now()
	if err := Generate(context.Background(), *db, *n); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d changes in %s\n", *db, *n, time.Since(start).Round(time.Millisecond))
}

// genCategories and genJurisdictions are what generated findings draw from.
var (
	genCategories = []string{"ai-training", "automated-decisions", "third-party-sharing", "sale-targeted-ads",
		"retention", "user-rights", "children", "biometrics", "location", "international-transfers",
		"content-license", "arbitration", "liability", "terms-changes", "tracking-cookies", "fees-payments"}
	genJurisdictions = []string{"EU", "UK", "US", "US-CA", "US-VA", "US-CO", "US-TX", "CA", "BR", "AU", "JP", "SG"}
	genLevels        = []string{tracker.ExposureNone, tracker.ExposureLow, tracker.ExposureMedium, tracker.ExposureHigh}
)

// Generate creates the archive at path with n changes.
func Generate(ctx context.Context, path string, n int) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists; remove it first", path)
	}
	store, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer store.Close()
	cat, err := tracker.ParseCatalog(resources.Catalog)
	if err != nil {
		return err
	}
	svc, err := tracker.NewService(ctx, store, cat, tracker.WithActor(actor),
		tracker.WithSecrets(secrets.New(path+".secrets", secrets.FileOnly, nil)))
	if err != nil {
		return err
	}
	if err := svc.SetProfile(ctx, tracker.Profile{Organisation: "Benchmark Bank", Jurisdictions: []string{"EU", "UK", "US-CA", "US", "BR"},
		FinancialData: true, Role: "controller"}); err != nil {
		return err
	}
	var docs []tracker.Document
	if err := store.Update(ctx, func(tx tracker.Tx) error {
		list, err := tx.ListDocuments(tracker.DocumentFilter{})
		if err != nil {
			return err
		}
		for _, d := range list {
			if d.URL == "" {
				continue
			}
			d.Tracked = true
			if err := tx.UpdateDocument(d.Document); err != nil {
				return err
			}
			docs = append(docs, d.Document)
		}
		return nil
	}); err != nil {
		return err
	}
	if len(docs) == 0 {
		return fmt.Errorf("the catalog has no documents")
	}
	rng := rand.New(rand.NewSource(1))
	end := time.Now().UTC().Truncate(time.Hour)
	begin := end.AddDate(-5, 0, 0)
	per := (n + len(docs) - 1) / len(docs)
	left := n
	for _, d := range docs {
		count := min(per, left)
		if count <= 0 {
			break
		}
		left -= count
		step := end.Sub(begin) / time.Duration(count+1)
		if err := store.Update(ctx, func(tx tracker.Tx) error {
			prev := tracker.Version{DocumentID: d.ID, FetchedAt: begin, URL: d.URL, HTTPStatus: 200,
				Text: fmt.Sprintf("# %s\n\nversion 0", d.Title), Source: "import"}
			prev.SHA256 = hashOf(prev.Text)
			if err := insertVersion(tx, &prev); err != nil {
				return err
			}
			for i := 1; i <= count; i++ {
				at := begin.Add(time.Duration(i)*step + time.Duration(rng.Intn(3600))*time.Second)
				v := tracker.Version{DocumentID: d.ID, FetchedAt: at, URL: d.URL, HTTPStatus: 200,
					Text: fmt.Sprintf("# %s\n\nversion %d", d.Title, i), Source: "import"}
				v.SHA256 = hashOf(v.Text)
				if err := insertVersion(tx, &v); err != nil {
					return err
				}
				if err := saveChange(tx, rng, d, prev, v); err != nil {
					return err
				}
				prev = v
			}
			ev := tracker.CheckEvent{DocumentID: d.ID, At: end, Status: tracker.CheckUnchanged, HTTPStatus: 200,
				VersionID: prev.ID, SHA256: prev.SHA256}
			return tx.InsertCheckEvent(&ev)
		}); err != nil {
			return err
		}
	}
	_, err = svc.Checkpoint(ctx)
	return err
}

// insertVersion stores a version and logs it, as the archive path does.
func insertVersion(tx tracker.Tx, v *tracker.Version) error {
	if err := tx.InsertVersion(v); err != nil {
		return err
	}
	return tracker.RecordVersion(tx, time.Now(), actor, *v, "")
}

// saveChange stores a generated change from → to with its findings.
func saveChange(tx tracker.Tx, rng *rand.Rand, d tracker.Document, from, to tracker.Version) error {
	level := genLevels[rng.Intn(len(genLevels))]
	res := analysis.Result{Substantive: level != tracker.ExposureNone, Exposure: analysis.Level(level)}
	c := tracker.Change{DocumentID: d.ID, FromVersionID: from.ID, ToVersionID: to.ID, DetectedAt: to.FetchedAt,
		Substantive: res.Substantive, Exposure: level, AddedWords: rng.Intn(400), RemovedWords: rng.Intn(200)}
	var rows []tracker.FindingRow
	if level != tracker.ExposureNone {
		for k := 0; k < 1+rng.Intn(3); k++ {
			cat := genCategories[rng.Intn(len(genCategories))]
			f := analysis.Finding{Category: cat, Direction: "modified", Exposure: analysis.Level(level), Heading: "Generated section",
				Evidence: "We may " + cat + " as described in this generated sentence."}
			row := tracker.FindingRow{Category: cat, Direction: f.Direction, Exposure: level, Heading: f.Heading, Evidence: f.Evidence}
			for j := 0; j < 1+rng.Intn(4); j++ {
				code := genJurisdictions[rng.Intn(len(genJurisdictions))]
				f.Jurisdictions = append(f.Jurisdictions, analysis.Jurisdiction{Code: code})
				row.Jurisdictions = append(row.Jurisdictions, code)
			}
			res.Findings = append(res.Findings, f)
			rows = append(rows, row)
		}
		res.Summary = fmt.Sprintf("Generated change touching %d provision(s).", len(rows))
		res.Rationale = "Generated for the GUI benchmark."
	} else {
		res.Summary = "Cosmetic edits only."
	}
	c.Summary, c.Rationale = res.Summary, res.Rationale
	record, err := json.Marshal(res)
	if err != nil {
		return err
	}
	if err := tx.SaveChange(&c, record, rows); err != nil {
		return err
	}
	if err := tracker.RecordAnalysis(tx, time.Now(), actor, c.ID, ""); err != nil {
		return err
	}
	if level == tracker.ExposureHigh && rng.Intn(10) == 0 {
		it := tracker.ChecklistItem{ChangeID: c.ID, Category: rows[0].Category, Seq: 1,
			Text: "Review the generated change with the data protection officer.", Status: tracker.StatusOpen,
			DueDate: to.FetchedAt.AddDate(0, 0, 14).Format("2006-01-02"), CreatedAt: to.FetchedAt, UpdatedAt: to.FetchedAt}
		created, err := tx.EnsureChecklistItem(&it)
		if err != nil {
			return err
		}
		if created {
			return tracker.RecordChecklistItem(tx, time.Now(), actor, evidence.ActionChecklistNew, it.ID, "")
		}
	}
	return nil
}

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
