// Command wordmodel trains the analysis's word model (the learned check on
// the rules' readings) from the tune halves of the clause set and writes
// resources/wordmodel.json. Only tune halves are read: the held-out halves
// stay out of the model as they stay out of the rules.
//
//	go run ./bench/wordmodel            # rewrite resources/wordmodel.json
//	go run ./bench/wordmodel -check     # fail if the committed file differs from a fresh training
package main

import (
	"flag"
	"fmt"
	"os"

	"policywatch/bench/wordmodel/training"
)

func main() {
	out := flag.String("o", "resources/wordmodel.json", "model file to write")
	check := flag.Bool("check", false, "compare the model file with a fresh training instead of writing it")
	flag.Parse()
	m, err := training.Build(".")
	if err != nil {
		fail("%v", err)
	}
	data, err := m.Marshal()
	if err != nil {
		fail("%v", err)
	}
	if *check {
		old, err := os.ReadFile(*out)
		if err != nil {
			fail("%v", err)
		}
		if err := training.Same(old, data); err != nil {
			fail("%s is not what training gives: %v (run go run ./bench/wordmodel)", *out, err)
		}
		fmt.Printf("%s matches a fresh training (%d sentences of %d companies)\n", *out, m.Trained.Sentences, m.Trained.Companies)
		return
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
