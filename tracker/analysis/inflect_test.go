package analysis

import "testing"

func TestFoldWord(t *testing.T) {
	groups := [][]string{
		{"share", "shares", "shared", "sharing"},
		{"party", "parties"},
		{"personalized", "personalised", "personalize", "personalise", "personalizing"},
		{"license", "licence", "licensed", "licensing", "licenses", "licences"},
		{"store", "stored", "storing", "stores"},
		{"use", "used", "uses", "using"},
		{"agree", "agreed", "agreeing", "agrees"},
		{"advertiser", "advertisers"},
		{"train", "trained", "training", "trains"},
		{"ban", "banned", "banning", "bans"},
		{"install", "installed", "installing"},
		{"process", "processed", "processing", "processes"},
		{"behavior", "behaviour"},
		{"behavioral", "behavioural"},
		{"cookie", "cookies"},
		{"child", "children"},
		{"sell", "sells", "selling", "sold"},
		{"opt", "opted", "opting"},
		{"apply", "applied", "applies"},
		{"driver's", "drivers"},
		{"analyze", "analyse", "analyzed", "analysed"},
	}
	for _, g := range groups {
		want := foldWord(g[0])
		for _, w := range g[1:] {
			if got := foldWord(w); got != want {
				t.Errorf("foldWord(%q) = %q, foldWord(%q) = %q; want equal", w, got, g[0], want)
			}
		}
	}
	apart := [][2]string{
		{"personalized", "person"}, {"disclose", "disclosure"}, {"us", "use"}, {"access", "acce"},
		{"this", "thi"}, {"status", "statu"}, {"sale", "sell"}, {"news", "new"},
	}
	for _, p := range apart {
		if foldWord(p[0]) == foldWord(p[1]) {
			t.Errorf("foldWord conflates %q and %q (%q)", p[0], p[1], foldWord(p[0]))
		}
	}
}

// FuzzFoldWord: folding is idempotent on what it returns for plain ASCII
// words, never grows a word by more than its British respelling does, and
// never returns an empty word for a non-empty one.
func FuzzFoldWord(f *testing.F) {
	for _, s := range []string{"sharing", "parties", "licence", "ise", "ies", "es", "s", "eed", "ing"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, w string) {
		for i := 0; i < len(w); i++ {
			if w[i] < 'a' || w[i] > 'z' {
				return
			}
		}
		got := foldWordUncached(w)
		if w != "" && got == "" {
			t.Errorf("foldWord(%q) is empty", w)
		}
		if len(got) > len(w)+1 {
			t.Errorf("foldWord(%q) = %q grew", w, got)
		}
	})
}
