package analysis

// This file merges a user rules file over the built-in rules.

// MergeRules applies a user rules file over base rules: lexicon concepts
// merge by id (a user concept with a known id replaces the base one's
// terms, a new id is added); a user category with a known id overrides the
// base category's non-empty fields (frames are replaced unless the user
// category lists only new frame ids, which are appended); a new id extends
// the rules; frameworks merge by id; negation cues are replaced when the
// user file gives any. Neither input is modified. The error names what the
// user file refers to that the merged rules lack (a frame's unknown concept).
func MergeRules(base, user *Rules) (*Rules, error) {
	if user == nil {
		return base, nil
	}
	if base == nil {
		if err := user.compile(false, true); err != nil {
			return nil, err
		}
		return user, nil
	}
	out := &Rules{Version: base.Version, Negation: base.Negation, Frameworks: map[string]Framework{},
		Lexicon: mergeLexicon(base.Lexicon, user.Lexicon), WordModel: base.WordModel}
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
	if err := out.compile(false, true); err != nil {
		return nil, err
	}
	return out, nil
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
	if len(u.Frames) > 0 {
		// the user's frames are outside what the word model was trained
		// on: it does not judge their readings
		u.Frames = append([]Frame(nil), u.Frames...)
		for k := range u.Frames {
			u.Frames[k].custom = true
		}
		ids := map[string]bool{}
		for _, f := range b.Frames {
			ids[f.ID] = true
		}
		allNew := true
		for _, f := range u.Frames {
			if ids[f.ID] {
				allNew = false
			}
		}
		if allNew {
			b.Frames = append(append([]Frame(nil), b.Frames...), u.Frames...)
		} else {
			b.Frames = u.Frames
		}
	}
	str(&b.NewPracticeExposure, u.NewPracticeExposure)
	if len(u.HighWith) > 0 {
		b.HighWith = u.HighWith
	}
	if len(u.CapUnless) > 0 {
		b.CapUnless = u.CapUnless
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
	if u.UserControl {
		b.UserControl = true
	}
	if u.AboutMinors {
		b.AboutMinors = true
	}
	if u.CompareDurations {
		b.CompareDurations = true
	}
	return b
}

// mergeLexicon merges user concepts over base concepts by id.
func mergeLexicon(base, user *Lexicon) *Lexicon {
	if user == nil {
		return base
	}
	if base == nil {
		return user
	}
	out := &Lexicon{About: base.About}
	byID := map[string]int{}
	for _, c := range base.Concepts {
		byID[c.ID] = len(out.Concepts)
		out.Concepts = append(out.Concepts, c)
	}
	for _, c := range user.Concepts {
		if i, ok := byID[c.ID]; ok {
			if c.Kind == "" {
				c.Kind = out.Concepts[i].Kind
			}
			out.Concepts[i] = c
			continue
		}
		byID[c.ID] = len(out.Concepts)
		out.Concepts = append(out.Concepts, c)
	}
	return out
}
