package evidence

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// Key is an installation's Ed25519 signing key.
type Key struct {
	private ed25519.PrivateKey
}

// NewKey makes a new random key.
func NewKey() (Key, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Key{}, fmt.Errorf("make signing key: %w", err)
	}
	return Key{private: priv}, nil
}

// Secret is the key's seed in base64, the form kept in the keyring or file.
func (k Key) Secret() string { return base64.StdEncoding.EncodeToString(k.private.Seed()) }

// ParseSecret reads a key from Secret's form.
func ParseSecret(s string) (Key, error) {
	seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(seed) != ed25519.SeedSize {
		return Key{}, errors.New("the stored signing key is not a base64 Ed25519 seed")
	}
	return Key{private: ed25519.NewKeyFromSeed(seed)}, nil
}

// Public is the key's public half.
func (k Key) Public() ed25519.PublicKey { return k.private.Public().(ed25519.PublicKey) }

// Sign signs msg.
func (k Key) Sign(msg []byte) []byte { return ed25519.Sign(k.private, msg) }

// Fingerprint is the hex SHA-256 of a public key's 32 bytes.
func Fingerprint(pub ed25519.PublicKey) string { return SHA256Hex(pub) }

// EncodePublic is a public key in base64, as logged in KeyFacts.
func EncodePublic(pub ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(pub) }

// DecodePublic reads a base64 public key and checks it against fingerprint
// when one is given.
func DecodePublic(s, fingerprint string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("not a base64 Ed25519 public key")
	}
	pub := ed25519.PublicKey(b)
	if fingerprint != "" && Fingerprint(pub) != fingerprint {
		return nil, fmt.Errorf("public key does not match fingerprint %s", fingerprint)
	}
	return pub, nil
}

// PublicPEM is a public key as a PEM "PUBLIC KEY" block (PKIX), readable by
// openssl: `openssl pkey -pubin -in public-key.pem -text`.
func PublicPEM(pub ed25519.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic(err) // an ed25519.PublicKey always marshals
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// ParsePublicPEM reads PublicPEM's form.
func ParsePublicPEM(b []byte) (ed25519.PublicKey, error) {
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, errors.New("not a PEM public key")
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("read public key: %w", err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("public key is %T, not Ed25519", k)
	}
	return pub, nil
}

// ShortFingerprint groups the first 32 hex digits of a fingerprint in
// fours, for display beside the full value.
func ShortFingerprint(fp string) string {
	if len(fp) > 32 {
		fp = fp[:32]
	}
	var parts []string
	for len(fp) > 4 {
		parts = append(parts, fp[:4])
		fp = fp[4:]
	}
	return strings.Join(append(parts, fp), " ")
}
