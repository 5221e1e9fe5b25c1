// Package smtptest runs a real SMTP server on loopback for tests (the
// github.com/emersion/go-smtp server): STARTTLS or implicit TLS with a
// certificate made for 127.0.0.1, PLAIN authentication, scripted temporary
// failures, and the messages it took, decoded (subject, text body,
// attachments).
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options configure a server.
type Options struct {
	// User and Password, when set, are the only login accepted, and a
	// message is accepted only after it.
	User, Password string
	// ImplicitTLS serves TLS from the first byte (smtps); otherwise the
	// server offers STARTTLS.
	ImplicitTLS bool
}

// Message is one message the server took.
type Message struct {
	From     string
	To       []string
	AuthUser string // who logged in ("" without a login)
	TLS      bool   // whether the session was encrypted
	Raw      []byte
}

// Server is a running SMTP server.
type Server struct {
	Host string
	Port int
	// CAFile is the PEM file of the certificate, for SSL_CERT_FILE.
	CAFile string
	// ClientTLS trusts the server's certificate.
	ClientTLS *tls.Config

	opts Options
	srv  *smtp.Server

	mu       sync.Mutex
	messages []Message
	failNext int
	logins   []string
	attempts int
}

// Start starts a server on 127.0.0.1 and stops it when the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	cert, pemBytes := selfSigned(t)
	s := &Server{opts: opts}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemBytes)
	s.ClientTLS = &tls.Config{RootCAs: pool}
	s.CAFile = filepath.Join(t.TempDir(), "smtptest-ca.pem")
	if err := os.WriteFile(s.CAFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.ErrorLog = nopLogger{}
	var l net.Listener
	var err error
	if opts.ImplicitTLS {
		l, err = tls.Listen("tcp", "127.0.0.1:0", s.srv.TLSConfig)
	} else {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().(*net.TCPAddr)
	s.Host, s.Port = "127.0.0.1", addr.Port
	go s.srv.Serve(l)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

type nopLogger struct{}

func (nopLogger) Printf(string, ...interface{}) {}
func (nopLogger) Println(...interface{})        {}

// FailNext makes the next n messages fail with a temporary error (451).
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	s.failNext = n
	s.mu.Unlock()
}

// Messages returns the messages taken so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Attempts counts the messages offered (taken or refused).
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// Logins returns every password tried at login (to check none leaks elsewhere).
func (s *Server) Logins() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.logins...)
}

type session struct {
	s        *Server
	conn     *smtp.Conn
	user     string
	from     string
	to       []string
	authOK   bool
	tlsState bool
}

func (x *session) AuthMechanisms() []string {
	if x.s.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		x.s.mu.Lock()
		x.s.logins = append(x.s.logins, password)
		x.s.mu.Unlock()
		if username != x.s.opts.User || password != x.s.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		x.user, x.authOK = username, true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.opts.User != "" && !x.authOK {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := x.conn.TLSConnectionState()
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.attempts++
	if x.s.failNext > 0 {
		x.s.failNext--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	x.s.messages = append(x.s.messages, Message{From: x.from, To: x.to, AuthUser: x.user, TLS: isTLS, Raw: raw})
	return nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

// Decoded is a message's subject, plain-text body (with "\n" line ends) and attachments.
type Decoded struct {
	Subject     string
	Header      mail.Header
	Text        string
	Attachments map[string][]byte
}

// Decode parses a message taken by the server.
func (m Message) Decode() (Decoded, error) {
	var d Decoded
	msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		return d, err
	}
	d.Header = msg.Header
	dec := new(mime.WordDecoder)
	if d.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return d, err
	}
	d.Attachments = map[string][]byte{}
	err = d.part(textproto(msg.Header), msg.Body)
	return d, err
}

type header interface{ Get(string) string }

func textproto(h mail.Header) header { return h }

func (d *Decoded) part(h header, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := d.part(p.Header, p); err != nil {
				return err
			}
		}
	}
	var r io.Reader = body
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, newlineStripper{body})
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, dispParams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	if name := dispParams["filename"]; name != "" {
		d.Attachments[name] = data
		return nil
	}
	if mt == "text/plain" {
		d.Text += strings.ReplaceAll(string(data), "\r\n", "\n") // Text has the message's lines, without CRs
	}
	return nil
}

// newlineStripper drops line breaks from base64 text.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	j := 0
	for _, b := range p[:k] {
		if b != '\r' && b != '\n' {
			p[j] = b
			j++
		}
	}
	return j, err
}

// selfSigned makes a certificate for 127.0.0.1 and localhost.
func selfSigned(t testing.TB) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "smtptest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return cert, certPEM
}
