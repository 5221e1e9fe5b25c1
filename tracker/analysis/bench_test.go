package analysis

import (
	"io"
	"testing"
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
