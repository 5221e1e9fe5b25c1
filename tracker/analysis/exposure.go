package analysis

import (
	"fmt"
	"strings"
)

// This file sets a finding's exposure level and jurisdictions following the
// rubric of the verified reference (section 1): start from the category
// default, apply the change's effect and the category's escalation facts,
// raise once for in-scope EU/UK/US-state users or a VLOP/gatekeeper
// platform, lower once for negotiated B2B terms, never below a verified
// prohibition floor.

// regulatedCodes are jurisdictions whose users trigger the rubric's
// one-level raise.
func regulatedCode(code string) bool {
	return code == "EU" || code == "UK" || strings.HasPrefix(code, "US-")
}

// inScope reports whether a jurisdiction is flagged under the options.
func inScope(opts *Options, code string) bool {
	if opts.Profile == nil {
		return true
	}
	for _, c := range opts.Profile.Jurisdictions {
		if strings.EqualFold(strings.TrimSpace(c), code) {
			return true
		}
	}
	return false
}

// jurisdictionsFor groups a category's verified provisions by in-scope
// jurisdiction code, in DESIGN code order.
func jurisdictionsFor(r *Rules, c *Category, opts *Options) []Jurisdiction {
	by := map[string][]ProvisionRef{}
	for _, p := range c.Provisions {
		if !p.Verified {
			continue
		}
		fw := r.Frameworks[p.Framework]
		if !inScope(opts, fw.Jurisdiction) {
			continue
		}
		by[fw.Jurisdiction] = append(by[fw.Jurisdiction], ProvisionRef{Framework: fw.Name, Citation: p.Citation, Title: p.Title})
	}
	var out []Jurisdiction
	for _, code := range JurisdictionCodes {
		if ps, ok := by[code]; ok {
			out = append(out, Jurisdiction{Code: code, Provisions: ps})
		}
	}
	return out
}

func profileFact(opts *Options, fact string) (bool, string) {
	p := opts.Profile
	switch fact {
	case "serves_children":
		return p != nil && p.ServesChildren, "the organisation serves children"
	case "health_data":
		return p != nil && p.HealthData, "the organisation processes health data"
	case "financial_data":
		return p != nil && p.FinancialData, "the organisation processes financial data"
	case "advertises":
		return p != nil && p.Advertises, "the organisation advertises on the platform"
	case "vlop":
		return opts.Platform.VLOP, platformName(opts) + " is a designated DSA very large online platform"
	case "gatekeeper":
		return opts.Platform.Gatekeeper, platformName(opts) + " is a designated DMA gatekeeper"
	case "allows_minors":
		return opts.Platform.AllowsMinors, platformName(opts) + " admits under-18 users"
	}
	return false, ""
}

func platformName(opts *Options) string {
	if opts.Platform.Name != "" {
		return opts.Platform.Name
	}
	return "the platform"
}

// assess sets f.Exposure, f.Rationale and f.Jurisdictions. retro is a
// changed sentence making the change retroactive or effective by posting
// alone ("" when there is none).
func assess(f *Finding, r *Rules, c *Category, opts *Options, retro string) {
	f.Jurisdictions = jurisdictionsFor(r, c, opts)
	lvl := levelIndex(c.DefaultExposure)
	var why []string
	why = append(why, fmt.Sprintf("%s starts from %s", c.ID, c.DefaultExposure))

	switch f.Effect {
	case EffectRemovesPromise:
		lvl++
		why = append(why, "the change removes or weakens a user protection or commitment (+1)")
	case EffectNarrows, EffectAddsPromise:
		lvl--
		why = append(why, "the change narrows the practice or adds a protection (-1)")
	case EffectExpands:
		why = append(why, "the change adds or widens the practice")
	default:
		why = append(why, "the change rewords the practice")
	}
	narrowing := f.Effect == EffectNarrows || f.Effect == EffectAddsPromise

	for _, fact := range c.Escalate {
		if ok, text := profileFact(opts, fact); ok && !narrowing {
			lvl++
			why = append(why, text+" (+1)")
		}
	}

	if !narrowing {
		var reasons []string
		if opts.Profile != nil {
			for _, j := range f.Jurisdictions {
				if regulatedCode(j.Code) && len(j.Provisions) > 0 {
					p := j.Provisions[0]
					reasons = append(reasons, fmt.Sprintf("the organisation operates in %s where %s %s (%s) applies", j.Code, p.Framework, p.Citation, p.Title))
					break
				}
			}
			if opts.Profile.ServesChildren && c.ID != "children" {
				reasons = append(reasons, "under-18 users are affected")
			}
		}
		if opts.Platform.VLOP {
			reasons = append(reasons, platformName(opts)+" is a designated VLOP under the DSA")
		}
		if opts.Platform.Gatekeeper {
			reasons = append(reasons, platformName(opts)+" is a designated DMA gatekeeper")
		}
		if len(reasons) > 0 {
			lvl++
			why = append(why, joinAnd(reasons)+" (one raise, +1)")
		}
	}
	if retro != "" && !narrowing {
		lvl++
		why = append(why, fmt.Sprintf("the change is retroactive or takes effect by posting alone (%q) (+1)", shorten(retro, 120)))
	}
	if opts.Profile != nil && opts.Profile.B2BNegotiated {
		lvl--
		why = append(why, "negotiated B2B terms override the consumer policy (-1)")
	}
	lvl = clampLevel(lvl)
	if c.Floor != nil && lvl < levelIndex(c.Floor.Level) {
		lvl = levelIndex(c.Floor.Level)
		why = append(why, fmt.Sprintf("never below %s because of %s", c.Floor.Level, c.Floor.Because))
	}
	if opts.Platform.EULeadAuthority != "" && hasCode(f.Jurisdictions, "EU") {
		why = append(why, "EU lead supervisory authority: "+opts.Platform.EULeadAuthority)
	}
	f.Exposure = levelNames[lvl]
	f.Rationale = capitalise(f.Exposure) + ": " + strings.Join(why, "; ") + "."
}

func hasCode(js []Jurisdiction, code string) bool {
	for _, j := range js {
		if j.Code == code {
			return true
		}
	}
	return false
}

func clampLevel(l int) int {
	if l < 0 {
		return 0
	}
	if l >= len(levelNames) {
		return len(levelNames) - 1
	}
	return l
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// joinAnd joins clauses as "a, b and c".
func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
