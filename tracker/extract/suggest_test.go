package extract

import "testing"

func TestSuggestRemove(t *testing.T) {
	cases := []struct{ page, word, want string }{
		{`<html><body><main><p>We collect data.</p><footer><span id="req">Request 8f3a9c</span></footer></main></body></html>`, "8f3a9c", "#req"},
		{`<html><body><main><p>We collect data.</p><div class="banner promo">Offer of the day: socks</div></main></body></html>`, "socks", "div.banner.promo"},
		{`<html><body><main id="policy"><p>We collect data.</p><p>Generated at 12:01:07</p></main></body></html>`, "12", "#policy > p:nth-of-type(2)"},
		{`<html><body><main><p>We collect data.</p></main></body></html>`, "nowhere", ""},
	}
	for _, c := range cases {
		if got := SuggestRemove([]byte(c.page), "text/html", []string{c.word}); got != c.want {
			t.Errorf("%q in %s: got %q, want %q", c.word, c.page, got, c.want)
		}
	}
	if got := SuggestRemove([]byte("%PDF-1.4"), "application/pdf", []string{"x"}); got != "" {
		t.Errorf("pdf: %q", got)
	}
}
