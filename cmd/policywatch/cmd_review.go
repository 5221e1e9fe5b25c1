package main

import (
	"fmt"
)

// cmdChangesReview marks a change reviewed, or withdraws the review:
//
//	changes review ID [--note N] | changes unreview ID
//
// Both are entries of the evidence log, signed by the reviewer identity.
func cmdChangesReview(e *env) error {
	sub := e.args[0]
	fs := newFlags("changes " + sub)
	var note *string
	if sub == "review" {
		note = fs.String("note", "", "what the review found")
	}
	rest, err := parseFlags(fs, e.args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("changes %s takes one change id", sub)
	}
	id, err := parseID(rest[0], "ID")
	if err != nil {
		return err
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	who, _ := svc.Identity()
	if sub == "unreview" {
		if err := svc.UnreviewChange(e.ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "change %d: review withdrawn by %s (logged; the earlier review stays in the log)\n", id, who)
		return nil
	}
	if err := svc.ReviewChange(e.ctx, id, *note); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "change %d: reviewed by %s (logged)\n", id, who)
	return nil
}
