package analysis

import (
	"io"
	"testing"

	"policywatch/tracker/extract"
)

// The largest pair of the corpus: Microsoft's privacy statement, about
// 310 KB per version.
const (
	largestOld = "Microsoft/Privacy Policy/2024-03-15T18-39-00Z.md"
	largestNew = "Microsoft/Privacy Policy/2024-06-25T18-10-15Z.md"
)

func BenchmarkAnalyzeLargest(b *testing.B) {
	oldText, newText := corpusFile(b, largestOld), corpusFile(b, largestNew)
	opts := Options{Rules: testRules(b)}
	b.SetBytes(int64(len(oldText) + len(newText)))
	b.ResetTimer()
	for b.Loop() {
		Analyze(oldText, newText, opts)
	}
}

func BenchmarkDiffLargest(b *testing.B) {
	oldText, newText := corpusFile(b, largestOld), corpusFile(b, largestNew)
	b.SetBytes(int64(len(oldText) + len(newText)))
	b.ResetTimer()
	for b.Loop() {
		FormatDiff(io.Discard, Diff(oldText, newText))
	}
}

// The pair bench/diffbench/run.sh compares with git diff: two consecutive
// Facebook privacy policies, about 150 KB each.
const (
	diffbenchOld = "Facebook/Privacy Policy/2022-09-07T17-19-04Z.md"
	diffbenchNew = "Facebook/Privacy Policy/2022-09-15T00-30-01Z.md"
)

func BenchmarkDiffFacebook(b *testing.B) {
	// normalised as policywatch diff reads them
	oldText, newText := extract.Normalize(corpusFile(b, diffbenchOld)), extract.Normalize(corpusFile(b, diffbenchNew))
	b.SetBytes(int64(len(oldText) + len(newText)))
	b.ResetTimer()
	for b.Loop() {
		FormatDiff(io.Discard, Diff(oldText, newText))
	}
}

// The slowest pair of the corpus to diff: a rewrite of Facebook's privacy
// policy, about 220 KB per version, most blocks changed.
const (
	rewriteOld = "Facebook/Privacy Policy/2025-09-19T00-31-53Z.md"
	rewriteNew = "Facebook/Privacy Policy/2025-12-17T00-30-45Z.md"
)

func BenchmarkDiffRewrite(b *testing.B) {
	oldText, newText := corpusFile(b, rewriteOld), corpusFile(b, rewriteNew)
	b.SetBytes(int64(len(oldText) + len(newText)))
	b.ResetTimer()
	for b.Loop() {
		FormatDiff(io.Discard, Diff(oldText, newText))
	}
}
