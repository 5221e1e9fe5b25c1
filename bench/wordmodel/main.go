// Command wordmodel trains the analysis's word model (the learned check on
// the rules' readings) from the tune halves of the clause set and writes
// resources/wordmodel.json. Only tune halves are read: the held-out halves
// stay out of the model as they stay out of the rules.
//
//	go run ./bench/wordmodel    # rewrite resources/wordmodel.json
//
// go test ./bench/wordmodel/training fails when the committed file is not
// what training gives.
package main

import (
	"flag"
	"fmt"
	"os"

	"policywatch/bench/wordmodel/training"
)

func main() {
	out := flag.String("o", "resources/wordmodel.json", "model file to write")
	flag.Parse()
	m, err := training.Build(".")
	if err != nil {
		fail("%v", err)
	}
	data, err := m.Marshal()
	if err != nil {
		fail("%v", err)
	}
	tmp := *out + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		fail("%v", err)
	}
	if err := os.Rename(tmp, *out); err != nil {
		fail("%v", err)
	}
	fmt.Printf("wrote %s: %d words, %d categories, %d sentences of %d companies\n", *out, len(m.Words), len(m.Categories), m.Trained.Sentences, m.Trained.Companies)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "wordmodel: "+format+"\n", args...)
	os.Exit(1)
}
