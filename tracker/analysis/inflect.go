package analysis

import (
	"strings"
	"sync"
)

// This file folds English word forms so that the lexicon's terms match
// their inflections: "shares", "shared", "sharing" and "share" all become
// "shar"; "parties" and "party" become "party"; British spellings become
// American ones ("personalised" → "personalized", "licence" → "license").
//
// It strips inflections only (plural -s/-es/-ies, -ed, -ing, a final -e),
// never derivations: "disclosure" and "disclose" stay apart, and so do
// "personalized" and "person", which a Porter stemmer conflates. The
// lexicon lists derived forms as terms of their own. No dictionary-based
// lemmatiser is available from the module proxy, and this is the whole of
// what the matcher needs; TestFoldWord and FuzzFoldWord hold it to its
// promises.

// irregular maps irregular or ambiguous forms to the form their regular
// relatives fold to.
var irregular = map[string]string{
	"use": "use", "used": "use", "uses": "use", "using": "use",
	"sold": "sell", "held": "hold", "kept": "keep", "sent": "send", "told": "tell", "built": "build",
	"shown": "show", "known": "know", "chosen": "choos", "chose": "choos", "choose": "choos",
	"given": "giv", "gave": "giv", "made": "mak", "taken": "tak", "took": "tak", "bought": "buy",
	"children": "child", "people": "person", "cookies": "cooki", "movies": "movi", "species": "species",
	"series": "series", "news": "news", "during": "during", "thing": "thing", "things": "thing",
	"bring": "bring", "string": "string", "nothing": "nothing", "something": "something",
	"anything": "anything", "everything": "everything",
	// "add" must not fold to "ad": "added a section" names no advert
	"add": "add", "adds": "add", "added": "add", "adding": "add",
}

// britishSuffixes rewrite British spellings to American ones.
var britishSuffixes = [][2]string{
	{"isation", "ization"}, {"isations", "izations"}, {"ising", "izing"}, {"ised", "ized"}, {"ises", "izes"},
	{"ise", "ize"}, {"yse", "yze"}, {"ysed", "yzed"}, {"ysing", "yzing"}, {"yses", "yzes"},
	{"iour", "ior"}, {"iours", "iors"}, {"ioural", "ioral"}, {"licence", "license"}, {"licences", "licenses"},
	{"centre", "center"}, {"centres", "centers"}, {"programme", "program"}, {"programmes", "programs"},
	{"defence", "defense"}, {"judgement", "judgment"}, {"catalogue", "catalog"},
}

// foldCache memoises foldWord: policies reuse a few thousand words.
var foldCache sync.Map

// foldWord returns the folded form of one lower-case word.
func foldWord(w string) string {
	if v, ok := foldCache.Load(w); ok {
		return v.(string)
	}
	f := foldWordUncached(w)
	foldCache.Store(w, f)
	return f
}

func foldWordUncached(w string) string {
	w = strings.ReplaceAll(w, "'", "")
	if f, ok := irregular[w]; ok {
		return f
	}
	for _, s := range britishSuffixes {
		if strings.HasSuffix(w, s[0]) {
			w = w[:len(w)-len(s[0])] + s[1]
			break
		}
	}
	if f, ok := irregular[w]; ok {
		return f
	}
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		w = w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "ied"):
		w = w[:n-3] + "y"
	case n >= 6 && strings.HasSuffix(w, "ing"):
		w = undouble(w[:n-3])
	case n >= 5 && strings.HasSuffix(w, "ed"):
		w = undouble(w[:n-2])
	case n >= 5 && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "ches") ||
		strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "zzes")):
		w = w[:n-2]
	case n >= 3 && w[n-1] == 's' && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:n-1]
	}
	if n := len(w); n >= 5 && w[n-1] == 'e' {
		w = w[:n-1]
	}
	return w
}

// undouble drops one of a doubled final consonant ("shipp" → "ship"),
// except for l, s and z, which English doubles in the base form too.
func undouble(w string) string {
	n := len(w)
	if n >= 3 && w[n-1] == w[n-2] && strings.IndexByte("bdfgkmnprt", w[n-1]) >= 0 {
		return w[:n-1]
	}
	return w
}
