package alerts

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
)

// SMTPServer is a parsed smtp[s]://[USER@]HOST:PORT address.
type SMTPServer struct {
	// ImplicitTLS is true for smtps:// (TLS from the first byte, usually
	// port 465); smtp:// upgrades with STARTTLS (usually port 587).
	ImplicitTLS bool
	Host        string
	Port        int
	User        string
}

// ParseSMTPURL parses an SMTP server address. A password in the address
// is refused: it would end up wherever the address is shown.
func ParseSMTPURL(raw string) (SMTPServer, error) {
	var s SMTPServer
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return s, fmt.Errorf("SMTP server %q is not of the form smtp://[USER@]HOST:PORT or smtps://[USER@]HOST:PORT", Redact(raw))
	}
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.ImplicitTLS = true
	default:
		return s, fmt.Errorf("SMTP server %q: the scheme must be smtp (STARTTLS) or smtps (TLS), not %q", Redact(raw), u.Scheme)
	}
	if _, has := u.User.Password(); has {
		return s, errors.New("the SMTP address must not contain a password: give it in POLICYWATCH_SMTP_PASSWORD or at the prompt, and it is kept in the keyring")
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return s, fmt.Errorf("SMTP server %q: nothing may follow HOST:PORT", Redact(raw))
	}
	s.Host = u.Hostname()
	if u.User != nil {
		s.User = u.User.Username()
	}
	port := u.Port()
	if port == "" {
		return s, fmt.Errorf("SMTP server %q has no port: add :587 for STARTTLS or use smtps://…:465", Redact(raw))
	}
	if s.Port, err = strconv.Atoi(port); err != nil || s.Port <= 0 || s.Port > 65535 {
		return s, fmt.Errorf("SMTP server %q: bad port %q", Redact(raw), port)
	}
	return s, nil
}

// String gives the address back without a password: smtp://user@host:587.
func (s SMTPServer) String() string {
	scheme := "smtp"
	if s.ImplicitTLS {
		scheme = "smtps"
	}
	// The user stays as typed ("alerts@example.com@mail.example.com:587"
	// reads back the same: the host follows the last @).
	out := scheme + "://"
	if s.User != "" {
		out += s.User + "@"
	}
	return out + net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
}

// SMTP sends alerts as e-mail.
type SMTP struct {
	Server   SMTPServer
	Password string // with Server.User: authenticate (only over TLS)
	From     string
	To       []string
	// TLSConfig, when set, replaces the default (the system's roots,
	// verifying Server.Host); its ServerName is filled in when empty.
	TLSConfig *tls.Config
	// Timeout bounds the whole exchange (default 60 s).
	Timeout time.Duration
}

// Send delivers m. Without TLS a password is never sent: smtp:// requires
// STARTTLS when authenticating, and uses it when offered otherwise.
func (s SMTP) Send(ctx context.Context, m Message) error {
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	tlsConf := &tls.Config{ServerName: s.Server.Host, MinVersion: tls.VersionTLS12}
	if s.TLSConfig != nil {
		tlsConf = s.TLSConfig.Clone()
		if tlsConf.ServerName == "" {
			tlsConf.ServerName = s.Server.Host
		}
	}
	opts := []mail.Option{mail.WithPort(s.Server.Port), mail.WithTimeout(timeout), mail.WithTLSConfig(tlsConf)}
	switch {
	case s.Server.ImplicitTLS:
		opts = append(opts, mail.WithSSL())
	case s.Server.User != "":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if s.Server.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(s.Server.User), mail.WithPassword(s.Password))
	}
	client, err := mail.NewClient(s.Server.Host, opts...)
	if err != nil {
		return permanent("check the server address", "set up the SMTP client for %s: %v", s.Server, err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return s.explain(err)
	}
	return nil
}

// message builds the e-mail: a plain-text body, the attachments, a stable
// Message-ID per delivery.
func (s SMTP) message(m Message) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.From(s.From); err != nil {
		return nil, permanent("fix the From address of the channel", "bad sender address %q: %v", s.From, err)
	}
	if err := msg.To(s.To...); err != nil {
		return nil, permanent("fix the recipient address of the channel", "bad recipient address %q: %v", strings.Join(s.To, ", "), err)
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(m.At)
	if m.ID != "" {
		domain := s.Server.Host
		if at := strings.LastIndexByte(s.From, '@'); at >= 0 {
			domain = strings.Trim(s.From[at+1:], "> ")
		}
		msg.SetMessageIDWithValue(m.ID + "@" + domain)
	}
	msg.SetGenHeader(mail.HeaderXMailer, "PolicyWatch")
	msg.SetBodyString(mail.TypeTextPlain, Text(m))
	for _, a := range m.Attachments {
		ct := mail.ContentType(a.ContentType)
		if err := msg.AttachReader(a.Name, strings.NewReader(string(a.Data)), mail.WithFileContentType(ct)); err != nil {
			return nil, permanent("", "attach %s: %v", a.Name, err)
		}
	}
	return msg, nil
}

// explain turns a client error into an Error that says whether to retry.
// go-mail's errors name the server and the SMTP reply, never the password.
func (s SMTP) explain(err error) error {
	var se *mail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		if !se.IsTemp() && code >= 500 {
			return permanent("check the recipient and sender addresses and what the server allows", "the SMTP server %s refused the message (%d): %v", s.Server, code, oneLine(err))
		}
		return temporary("", "the SMTP server %s did not take the message: %v", s.Server, oneLine(err))
	}
	text := oneLine(err)
	switch {
	case strings.Contains(text, "535") || strings.Contains(strings.ToLower(text), "authentication failed") ||
		strings.Contains(strings.ToLower(text), "unable to authenticate"):
		return permanent("check the user name and password (set the password again with the channel)", "the SMTP server %s refused the login: %s", s.Server, text)
	case strings.Contains(strings.ToLower(text), "starttls"):
		return permanent("use smtps:// for implicit TLS, or a server that offers STARTTLS; PolicyWatch never sends a password unencrypted", "the SMTP server %s does not offer STARTTLS: %s", s.Server, text)
	case strings.Contains(strings.ToLower(text), "certificate"):
		return permanent("the server's TLS certificate is not trusted for this name; fix the server's certificate, or add its CA to the system's trust store (or SSL_CERT_FILE)", "TLS with %s failed: %s", s.Server, text)
	}
	return temporary("", "sending through %s failed: %s", s.Server, text)
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }
