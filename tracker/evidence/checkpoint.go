package evidence

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/digitorus/timestamp"
)

// CheckpointFormat names the exported checkpoint format.
const CheckpointFormat = "policywatch-checkpoint/1"

// Checkpoint is a signed statement that the archive's log had Entries
// entries ending with Head at time At. A later log must still start with
// those entries: a truncation or a rewrite contradicts every earlier
// checkpoint, wherever it was kept (the archive, a report, a bundle, a file).
type Checkpoint struct {
	ID        int64     `json:"-"` // row id in the archive
	Format    string    `json:"format"`
	Archive   string    `json:"archive"`
	Entries   int64     `json:"entries"`
	Head      string    `json:"head"`
	At        time.Time `json:"time"`
	Key       string    `json:"key"`        // fingerprint of the signing key
	PublicKey string    `json:"public_key"` // base64 Ed25519 public key
	Signature string    `json:"signature"`  // base64 Ed25519 signature of Statement
	// TSA and Timestamp hold an optional RFC 3161 token over SignedText.
	TSA       string `json:"tsa,omitempty"`
	Timestamp []byte `json:"timestamp,omitempty"`
}

// Statement is the text the key signs.
func (c Checkpoint) Statement() []byte {
	return []byte(fmt.Sprintf("policywatch checkpoint 1\narchive %s\nentries %d\nhead %s\ntime %s\nkey %s\n",
		c.Archive, c.Entries, c.Head, FormatTime(c.At), c.Key))
}

// SignedText is the statement followed by its signature: what a trusted
// timestamp covers (its SHA-256 is the token's message imprint).
func (c Checkpoint) SignedText() []byte {
	return append(c.Statement(), []byte("signature "+c.Signature+"\n")...)
}

// SignCheckpoint fills in the key and signature of c.
func SignCheckpoint(c *Checkpoint, k Key) {
	c.Format = CheckpointFormat
	c.At = c.At.UTC().Truncate(time.Millisecond)
	c.Key = Fingerprint(k.Public())
	c.PublicKey = EncodePublic(k.Public())
	c.Signature = base64.StdEncoding.EncodeToString(k.Sign(c.Statement()))
}

// VerifySignature checks c's signature with pub (the key the verifier
// trusts: the one the log records, or the one printed in earlier reports).
func (c Checkpoint) VerifySignature(pub ed25519.PublicKey) error {
	if Fingerprint(pub) != c.Key {
		return fmt.Errorf("signed by key %s, not by %s", ShortFingerprint(c.Key), ShortFingerprint(Fingerprint(pub)))
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || !ed25519.Verify(pub, c.Statement(), sig) {
		return errors.New("its signature does not verify (forged or edited)")
	}
	return nil
}

// Summary describes c in one line.
func (c Checkpoint) Summary() string {
	s := fmt.Sprintf("%d entries, head %s, signed %s by key %s", c.Entries, c.Head, FormatTime(c.At), ShortFingerprint(c.Key))
	if len(c.Timestamp) > 0 {
		s += ", timestamped by " + c.TSA
	}
	return s
}

// ParseCheckpoint reads an exported checkpoint (JSON).
func ParseCheckpoint(b []byte) (Checkpoint, error) {
	var c Checkpoint
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("not a PolicyWatch checkpoint: %w", err)
	}
	if c.Format != CheckpointFormat {
		return c, fmt.Errorf("not a PolicyWatch checkpoint (format %q, want %q)", c.Format, CheckpointFormat)
	}
	return c, nil
}

// TimestampInfo is what a verified RFC 3161 token says.
type TimestampInfo struct {
	Time time.Time
	// Authority names the TSA's certificate subject and its SHA-256.
	Authority string
}

// RequestTimestamp asks the TSA at url for an RFC 3161 token over the
// SHA-256 of msg and returns the token (DER), checked against msg.
func RequestTimestamp(ctx context.Context, client *http.Client, url string, msg []byte) ([]byte, error) {
	req, err := timestamp.CreateRequest(bytes.NewReader(msg), &timestamp.RequestOptions{Hash: crypto.SHA256, Certificates: true})
	if err != nil {
		return nil, fmt.Errorf("timestamp request: %w", err)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(req))
	if err != nil {
		return nil, fmt.Errorf("timestamp authority %s: %w", url, err)
	}
	hreq.Header.Set("Content-Type", "application/timestamp-query")
	if client == nil {
		client = &http.Client{Timeout: 20 * time.Second}
	}
	resp, err := client.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("timestamp authority %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("timestamp authority %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("timestamp authority %s answered HTTP %d", url, resp.StatusCode)
	}
	ts, err := timestamp.ParseResponse(body)
	if err != nil {
		return nil, fmt.Errorf("timestamp authority %s: %w", url, err)
	}
	if _, err := CheckTimestamp(ts.RawToken, msg); err != nil {
		return nil, fmt.Errorf("timestamp authority %s: %w", url, err)
	}
	return ts.RawToken, nil
}

// CheckTimestamp verifies an RFC 3161 token: its signature by the
// certificate it carries, and that it covers the SHA-256 of msg. Whether
// that authority is trusted is the reader's call: the info names it.
func CheckTimestamp(token, msg []byte) (TimestampInfo, error) {
	ts, err := timestamp.Parse(token)
	if err != nil {
		return TimestampInfo{}, fmt.Errorf("the trusted timestamp is unreadable or its signature fails: %w", err)
	}
	if len(ts.Certificates) == 0 {
		return TimestampInfo{}, errors.New("the trusted timestamp carries no certificate to check it with")
	}
	h := ts.HashAlgorithm.New()
	h.Write(msg)
	if !bytes.Equal(h.Sum(nil), ts.HashedMessage) {
		return TimestampInfo{}, errors.New("the trusted timestamp covers other data (the checkpoint was edited)")
	}
	cert := ts.Certificates[0]
	name := cert.Subject.CommonName
	if name == "" {
		name = cert.Subject.String()
	}
	return TimestampInfo{Time: ts.Time.UTC(), Authority: strings.TrimSpace(name) + " (certificate SHA-256 " + ShortFingerprint(SHA256Hex(cert.Raw)) + ")"}, nil
}
