// Package tsatest runs a local RFC 3161 time-stamping authority on loopback
// for tests: a self-signed time-stamping certificate and
// github.com/digitorus/timestamp answering application/timestamp-query
// requests, like a public TSA would.
package tsatest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitorus/timestamp"
)

// TSA is a running local authority.
type TSA struct {
	*httptest.Server
	// Requests counts the timestamps issued.
	Requests atomic.Int64
	mu       sync.Mutex
	now      func() time.Time
}

// SetClock makes the authority stamp times from now instead of the wall
// clock (a test's fixed clock).
func (tsa *TSA) SetClock(now func() time.Time) {
	tsa.mu.Lock()
	defer tsa.mu.Unlock()
	tsa.now = now
}

func (tsa *TSA) time() time.Time {
	tsa.mu.Lock()
	defer tsa.mu.Unlock()
	return tsa.now()
}

// Start runs a TSA until the test ends.
func Start(t testing.TB) *TSA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "PolicyWatch test TSA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	tsa := &TSA{now: time.Now}
	tsa.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		if err != nil || r.Header.Get("Content-Type") != "application/timestamp-query" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		req, err := timestamp.ParseRequest(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ts := timestamp.Timestamp{HashAlgorithm: req.HashAlgorithm, HashedMessage: req.HashedMessage, Time: tsa.time(),
			Nonce: req.Nonce, Policy: []int{1, 2, 3, 4, 1}, AddTSACertificate: req.Certificates, Ordering: true,
			Accuracy: time.Second, SerialNumber: big.NewInt(tsa.Requests.Add(1))}
		resp, err := ts.CreateResponse(cert, key)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/timestamp-reply")
		w.Write(resp)
	}))
	t.Cleanup(tsa.Close)
	return tsa
}
