package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Genesis is the previous-hash of the first log entry.
var Genesis = strings.Repeat("0", 64)

// TimeLayout is the one form times are hashed, stored and compared in:
// UTC to the millisecond, fixed width, so text order is time order.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// FormatTime writes t in TimeLayout ("" for the zero time).
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(TimeLayout)
}

// ParseTime reads a TimeLayout time ("" is the zero time).
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(TimeLayout, s)
}

// Entry is one append-only, hash-chained log record. Data, when present, is
// the canonical JSON of the record the entry vouches for (a version's
// hashes and provenance, an analysis digest, a checklist item's state…);
// Detail is the same in words for people.
type Entry struct {
	ID       int64           `json:"id"`
	At       time.Time       `json:"at"`
	Actor    string          `json:"actor"`
	Action   string          `json:"action"`
	Subject  string          `json:"subject"`
	Detail   string          `json:"detail"`
	Data     json.RawMessage `json:"data,omitempty"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// Hash returns the hash that seals an entry: SHA-256 over the previous
// entry's hash and every field of this one, its id included, each prefixed
// with its length. Data takes part only when present, so entries written
// before the log carried data keep their hashes.
func Hash(e Entry) string {
	h := sha256.New()
	fields := []string{e.PrevHash, strconv.FormatInt(e.ID, 10), FormatTime(e.At), e.Actor, e.Action, e.Subject, e.Detail}
	if len(e.Data) > 0 {
		fields = append(fields, string(e.Data))
	}
	var num [20]byte
	for _, field := range fields {
		h.Write(strconv.AppendInt(num[:0], int64(len(field)), 10))
		h.Write([]byte{':'})
		h.Write([]byte(field))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Seal sets e's previous hash and id from prev (the zero Entry for the first
// entry) and computes its hash. At is truncated to the stored precision.
func Seal(e *Entry, prev Entry) {
	e.At = e.At.UTC().Truncate(time.Millisecond)
	e.ID, e.PrevHash = prev.ID+1, prev.Hash
	if prev.ID == 0 {
		e.PrevHash = Genesis
	}
	e.Hash = Hash(*e)
}

// SHA256Hex is the hex SHA-256 of b.
func SHA256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
