package analysis

// This file merges a user rules file over the built-in rules.

// MergeRules applies a user rules file over base rules: a user category with
// a known id overrides the base category's non-empty fields (signals are
// replaced unless the user category lists only new signal ids, which are
// appended); a new id extends the rules; frameworks merge by id; negation
// cues are replaced when the user file gives any. Neither input is modified.
func MergeRules(base, user *Rules) *Rules {
	if base == nil {
		return user
	}
	if user == nil {
		return base
	}
	out := &Rules{Version: base.Version, Negation: base.Negation, Frameworks: map[string]Framework{}}
	if len(user.Negation.Cues) > 0 {
		out.Negation = user.Negation
	}
	for k, v := range base.Frameworks {
		out.Frameworks[k] = v
	}
	for k, v := range user.Frameworks {
		out.Frameworks[k] = v
	}
	userByID := map[string]Category{}
	var order []string
	for _, c := range user.Categories {
		if _, dup := userByID[c.ID]; !dup {
			order = append(order, c.ID)
		}
		userByID[c.ID] = c
	}
	for _, c := range base.Categories {
		if u, ok := userByID[c.ID]; ok {
			c = mergeCategory(c, u)
			delete(userByID, c.ID)
		}
		out.Categories = append(out.Categories, c)
	}
	for _, id := range order {
		if u, ok := userByID[id]; ok {
			out.Categories = append(out.Categories, u)
		}
	}
	if err := out.compile(false); err != nil {
		// Both inputs compiled on their own; a failure here means the user
		// file referenced something the merge cannot satisfy. Fall back to
		// the base rules rather than analysing with half-compiled ones.
		return base
	}
	return out
}

func mergeCategory(b, u Category) Category {
	str := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	str(&b.Name, u.Name)
	str(&b.Label, u.Label)
	str(&b.Promise, u.Promise)
	str(&b.Description, u.Description)
	str(&b.DefaultExposure, u.DefaultExposure)
	str(&b.ExposureRule, u.ExposureRule)
	if len(u.Signals) > 0 {
		ids := map[string]bool{}
		for _, s := range b.Signals {
			ids[s.ID] = true
		}
		allNew := true
		for _, s := range u.Signals {
			if ids[s.ID] {
				allNew = false
			}
		}
		if allNew {
			b.Signals = append(append([]Signal(nil), b.Signals...), u.Signals...)
		} else {
			b.Signals = u.Signals
		}
	}
	if len(u.Exclude) > 0 {
		b.Exclude = u.Exclude
	}
	if len(u.Narrowing) > 0 {
		b.Narrowing = u.Narrowing
	}
	if len(u.Escalate) > 0 {
		b.Escalate = u.Escalate
	}
	if u.Floor != nil {
		b.Floor = u.Floor
	}
	if len(u.Provisions) > 0 {
		b.Provisions = u.Provisions
	}
	if len(u.Checklist) > 0 {
		b.Checklist = u.Checklist
	}
	if len(u.ContractImplications) > 0 {
		b.ContractImplications = u.ContractImplications
	}
	if len(u.ComplianceConsiderations) > 0 {
		b.ComplianceConsiderations = u.ComplianceConsiderations
	}
	if u.Protective {
		b.Protective = true
	}
	if u.Negatable {
		b.Negatable = true
	}
	if u.CompareDurations {
		b.CompareDurations = true
	}
	return b
}
