package extract

import (
	"os"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func BenchmarkZZNFC(b *testing.B) {
	data, _ := os.ReadFile("/tmp/o.md")
	buf := appendCanonical(nil, string(data))
	n := 0
	for i := 0; i < len(buf); i++ {
		if buf[i] >= 0x80 && (i == 0 || buf[i-1] < 0x80) {
			n++
		}
	}
	b.Log("non-ASCII runs", n)
	b.Run("isNFC", func(b *testing.B) {
		for b.Loop() {
			isNFC(buf)
		}
	})
	b.Run("IsNormal", func(b *testing.B) {
		for b.Loop() {
			norm.NFC.IsNormal(buf)
		}
	})
}
