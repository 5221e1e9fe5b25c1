package analysis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"policywatch/resources"
	"policywatch/tracker/analysis/wordmodel"
)

// CategoryIDs are the stable DESIGN category ids, in DESIGN order.
var CategoryIDs = []string{
	"ai-training", "automated-decisions", "account-linkage", "third-party-sharing",
	"sale-targeted-ads", "ad-controls", "retention", "user-rights", "children", "biometrics",
	"location", "sensitive-data", "international-transfers", "contacts", "content-license",
	"arbitration", "liability", "terms-changes", "consent-acceptance", "security-breach",
	"government-access", "tracking-cookies", "identity-verification", "content-moderation",
	"fees-payments",
}

// JurisdictionCodes are the DESIGN jurisdiction codes, in DESIGN order.
var JurisdictionCodes = []string{
	"EU", "UK", "US", "US-CA", "US-VA", "US-CO", "US-CT", "US-TX", "US-IL", "US-WA",
	"CA", "CA-QC", "BR", "IN", "JP", "AU", "CN", "SG",
}

// Level is an exposure level: how much an organisation must do about a
// change. It is the one definition of the levels; the store, the screens
// and the reports use these values.
type Level string

// Exposure levels, lowest first. LevelNone marks a change with nothing
// substantive (or one analysed without rules).
const (
	LevelNone   Level = "none"
	LevelLow    Level = "low"
	LevelMedium Level = "medium"
	LevelHigh   Level = "high"
)

// Levels lists the levels a finding can have, lowest first.
var Levels = []Level{LevelLow, LevelMedium, LevelHigh}

// Rank orders levels: none (or empty) 0, low 1, medium 2, high 3; -1 for
// anything else.
func (l Level) Rank() int {
	switch l {
	case LevelNone, "":
		return 0
	case LevelLow:
		return 1
	case LevelMedium:
		return 2
	case LevelHigh:
		return 3
	}
	return -1
}

// levelNames are the finding levels by index (levelIndex).
var levelNames = Levels

// Rules is a parsed rules file: the lexicon of concepts, categories with
// their frames, exposure rules, provisions and texts, plus the frameworks
// provisions refer to.
type Rules struct {
	// About explains the file to a person editing it; it is not used.
	About []string `json:"about,omitempty"`
	// Version of the rules file format (2: lexicon and frames).
	Version int `json:"version"`
	// Lexicon holds the concepts frames are written over.
	Lexicon *Lexicon `json:"lexicon,omitempty"`
	// Negation configures negated-promise handling.
	Negation Negation `json:"negation"`
	// Frameworks by id (gdpr, ccpa…).
	Frameworks map[string]Framework `json:"frameworks"`
	// Categories, one per DESIGN id.
	Categories []Category `json:"categories"`
	// WordModel is the learned check on the readings (nil: none). ParseRules
	// sets the built-in one; a finding whose sentences it makes very
	// unlikely for the finding's category is dropped.
	WordModel *wordmodel.Model `json:"-"`

	byID   map[string]*Category
	minors conceptSet // the concepts that name minors (the frames of about_minors categories)
}

// Negation lists the words that turn a statement into a promise not to do
// it ("we do not sell") and how far back they are looked for.
type Negation struct {
	// Cues are negation words or phrases ("not", "never", "no longer").
	Cues []string `json:"cues"`
	// Window is how many words before a match a cue may sit.
	Window int `json:"window"`
	// Breaks are words that end a negation's scope ("but", "unless").
	Breaks []string `json:"breaks"`

	cues   [][]string
	breaks map[string]bool
}

// Framework is a legal framework provisions belong to.
type Framework struct {
	// Name is the short display name ("GDPR").
	Name string `json:"name"`
	// Jurisdiction is a DESIGN jurisdiction code.
	Jurisdiction string `json:"jurisdiction"`
	// Requires lists facts without which the framework does not apply, so
	// it is not cited: gatekeeper, vlop, financial (the organisation or the
	// platform handles financial data or services), advertises, minors (the
	// organisation serves children or the platform admits minors).
	Requires []string `json:"requires,omitempty"`
}

// Category is one change category of the rules file.
type Category struct {
	// ID is a DESIGN category id.
	ID string `json:"id"`
	// Name is the display name.
	Name string `json:"name"`
	// Label is the short noun phrase used in summaries ("AI training").
	Label string `json:"label"`
	// Promise names the category's protective commitment in summaries
	// ("a no-sale promise"); empty means "a commitment on <label>".
	Promise string `json:"promise,omitempty"`
	// Description says what the category covers.
	Description string `json:"description"`
	// Protective marks categories whose statements describe user
	// protections (rights, controls, security): adding one narrows risk,
	// removing one widens it.
	Protective bool `json:"protective,omitempty"`
	// UserControl marks categories that are user rights or controls:
	// removing or weakening one is High (the rubric's "removes or weakens
	// user controls or rights").
	UserControl bool `json:"user_control,omitempty"`
	// AboutMinors marks the category about minors: frameworks that require
	// the "minors" fact are cited for it whatever the profile.
	AboutMinors bool `json:"about_minors,omitempty"`
	// CompareDurations makes a reworded sentence whose stated period grows
	// ("90 days" → "12 months") widen the practice, and one whose period
	// shrinks narrow it (retention).
	CompareDurations bool `json:"compare_durations,omitempty"`
	// Frames are the ways a sentence states the category's practice.
	Frames []Frame `json:"frames"`
	// DefaultExposure is the level of a new or widened practice: low,
	// medium or high.
	DefaultExposure string `json:"default_exposure"`
	// NewPracticeExposure, when set, is the level of a practice the old
	// version did not state at all (a new arbitration clause).
	NewPracticeExposure string `json:"new_practice_exposure,omitempty"`
	// HighWith lists concept ids that make a new or widened practice High
	// (precise location, a country with broad state access).
	HighWith []string `json:"high_with,omitempty"`
	// LowerWith lists concept ids (conditions or data) that lower a new or
	// widened practice by one level when its sentence names them: the
	// rubric's de-escalation triggers, such as AI training only with
	// opt-in consent or on de-identified data. LowerBecause says why, for
	// the rationale.
	LowerWith    []string `json:"lower_with,omitempty"`
	LowerBecause string   `json:"lower_because,omitempty"`
	// UserRules marks a category whose practice is a rule for users
	// (community rules, a class-action waiver): "you may not post …" and
	// "you agree not to bring class actions" state its practice rather than
	// a promise. In other categories such a rule states nothing.
	UserRules bool `json:"user_rules,omitempty"`
	// UserRuleExposure, when set, is the most a rule for users of a
	// UserRules category can be: a new content rule ("don't hide content
	// credentials") binds the organisation's staff as users, not its
	// processing, while a class-action waiver binds the organisation.
	UserRuleExposure string `json:"user_rule_exposure,omitempty"`
	// CompanyActs marks a category whose practice is something the company
	// does (moderating, sharing, selling, training): an action the user
	// performs ("you may terminate your account", "you can share your
	// posts") does not state it.
	CompanyActs bool `json:"company_acts,omitempty"`
	// Disclaims marks a category whose negated statements are disclaimers
	// ("we are not liable for …"): what follows one in its clause is what
	// it disclaims, so it states no promise of another category.
	Disclaims bool `json:"disclaims,omitempty"`
	// AlsoNames lists concepts (or "kind:K") that a statement of the
	// category carries when its clause names them, though no frame needs
	// them: who receives data used for advertising is part of what an ads
	// statement says, so a new recipient there is a new practice.
	AlsoNames []string `json:"also_names,omitempty"`
	// CapUnless caps the level at the given value when the profile fact is
	// false (children's rules do not reach an organisation serving none).
	CapUnless map[string]string `json:"cap_unless,omitempty"`
	// ExposureRule is the human-readable escalation rule.
	ExposureRule string `json:"exposure_rule"`
	// Escalate lists profile or platform facts that raise a widening by
	// one level (at most one raise): serves_children, health_data,
	// financial_data, financial, advertises, vlop, gatekeeper, allows_minors.
	Escalate []string `json:"escalate,omitempty"`
	// Floor is the level a verified prohibition never lets a widening drop below.
	Floor *Floor `json:"floor,omitempty"`
	// Provisions engaged by the category.
	Provisions []RuleProvision `json:"provisions"`
	// Checklist templates.
	Checklist []string `json:"checklist"`
	// ContractImplications texts.
	ContractImplications []string `json:"contract_implications"`
	// ComplianceConsiderations texts.
	ComplianceConsiderations []string `json:"compliance_considerations"`

	highWith  conceptSet
	lowerWith conceptSet
	signature conceptSet // the concepts its frames name: what a statement of it is about
}

// Floor is a minimum level implied by a verified prohibition.
type Floor struct {
	// Level is low, medium or high.
	Level string `json:"level"`
	// Because names the prohibition ("DSA Art. 28(2)").
	Because string `json:"because"`
}

// RuleProvision is a provision a category engages, copied from the verified
// reference with its citation unchanged.
type RuleProvision struct {
	// Framework is a key of Rules.Frameworks.
	Framework string `json:"framework"`
	// Citation is exact as in the reference.
	Citation string `json:"citation"`
	// Title is the provision's short title.
	Title string `json:"title"`
	// Why explains the provision's relevance.
	Why string `json:"why"`
	// Verified is false when the reference could not confirm it; such
	// provisions are kept in the file but never cited.
	Verified bool `json:"verified"`
}

// Category returns the category with the given id, or nil.
func (r *Rules) Category(id string) *Category {
	if r == nil {
		return nil
	}
	return r.byID[id]
}

// CategoryName returns the display name of the category with the given id,
// or the id itself when the rules do not define it (or r is nil). Screens,
// reports and the CLI show categories by this name.
func (r *Rules) CategoryName(id string) string {
	if c := r.Category(id); c != nil && c.Name != "" {
		return c.Name
	}
	return id
}

// ParseRules parses and validates a complete rules file: every DESIGN
// category id exactly once, known jurisdiction codes, levels low, medium or
// high, compilable signals, provisions naming known frameworks.
func ParseRules(data []byte) (*Rules, error) {
	r, err := decodeRules(data)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, c := range r.Categories {
		seen[c.ID] = true
	}
	var missing []string
	for _, id := range CategoryIDs {
		if !seen[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("rules: missing categories: %s", strings.Join(missing, ", "))
	}
	if err := r.compile(true, true); err != nil {
		return nil, err
	}
	if r.WordModel, err = builtinWordModel(); err != nil {
		return nil, err
	}
	return r, nil
}

// builtinWordModel returns the embedded word model, parsed once.
var builtinWordModel = sync.OnceValues(func() (*wordmodel.Model, error) {
	m, err := wordmodel.Parse(resources.WordModel)
	if err != nil {
		return nil, fmt.Errorf("built-in word model: %w", err)
	}
	return m, nil
})

// ParseUserRules parses a user rules file, which may hold only the
// concepts, categories and frameworks it overrides or adds. Frames are
// checked against the lexicon when MergeRules applies the file over the
// built-in rules.
func ParseUserRules(data []byte) (*Rules, error) {
	r, err := decodeRules(data)
	if err != nil {
		return nil, err
	}
	if err := r.compile(false, false); err != nil {
		return nil, err
	}
	return r, nil
}

func decodeRules(data []byte) (*Rules, error) {
	var r Rules
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		if strings.Contains(err.Error(), `unknown field "signals"`) || strings.Contains(err.Error(), `unknown field "negatable"`) {
			return nil, fmt.Errorf("rules: this file is in format 1 (signals); PolicyWatch now reads format 2, in which categories have frames over the lexicon's concepts: see resources/rules.json and its \"about\" notes: %w", err)
		}
		return nil, fmt.Errorf("rules: decode: %w", err)
	}
	return &r, nil
}

// compile validates the rules and compiles the lexicon and, with frames,
// the categories' frames. strict (a complete rules file) also requires a
// lexicon and frames for every category.
func (r *Rules) compile(strict, frames bool) error {
	known := map[string]bool{}
	for _, c := range JurisdictionCodes {
		known[c] = true
	}
	for id, f := range r.Frameworks {
		if !known[f.Jurisdiction] {
			return fmt.Errorf("rules: framework %q: unknown jurisdiction code %q", id, f.Jurisdiction)
		}
		if f.Name == "" {
			return fmt.Errorf("rules: framework %q: empty name", id)
		}
		for _, fact := range f.Requires {
			if !knownFact[fact] {
				return fmt.Errorf("rules: framework %q: unknown required fact %q", id, fact)
			}
		}
	}
	if r.Negation.Window <= 0 {
		r.Negation.Window = 5
	}
	r.Negation.cues = nil
	for _, c := range r.Negation.Cues {
		r.Negation.cues = append(r.Negation.cues, strings.Fields(strings.ToLower(c)))
	}
	r.Negation.breaks = map[string]bool{}
	for _, b := range r.Negation.Breaks {
		r.Negation.breaks[strings.ToLower(b)] = true
	}
	if r.Lexicon == nil && strict {
		return errors.New("rules: no lexicon")
	}
	if r.Lexicon != nil {
		if err := r.Lexicon.compile(); err != nil {
			return err
		}
	}
	isCategory := map[string]bool{}
	for _, id := range CategoryIDs {
		isCategory[id] = true
	}
	r.byID = map[string]*Category{}
	var errs []error
	for k := range r.Categories {
		c := &r.Categories[k]
		if err := c.compile(r, strict, frames, isCategory); err != nil {
			errs = append(errs, err)
			continue
		}
		if r.byID[c.ID] != nil {
			errs = append(errs, fmt.Errorf("rules: category %q: defined more than once", c.ID))
			continue
		}
		r.byID[c.ID] = c
	}
	if r.Lexicon != nil {
		r.minors = newConceptSet(len(r.Lexicon.Concepts))
		for _, c := range r.Categories {
			if !c.AboutMinors {
				continue
			}
			for _, fr := range c.Frames {
				for _, slot := range fr.slots {
					r.minors = r.minors.union(slot)
				}
			}
		}
	}
	return errors.Join(errs...)
}

func (c *Category) compile(r *Rules, strict, frames bool, isCategory map[string]bool) error {
	where := fmt.Sprintf("rules: category %q", c.ID)
	if c.ID == "" {
		return errors.New("rules: category with empty id")
	}
	if strict && !isCategory[c.ID] {
		return fmt.Errorf("%s: not a DESIGN category id", where)
	}
	for name, lvl := range map[string]string{"default_exposure": c.DefaultExposure} {
		if levelIndex(lvl) < 0 {
			return fmt.Errorf("%s: %s %q is not low, medium or high", where, name, lvl)
		}
	}
	if c.UserRuleExposure != "" && (levelIndex(c.UserRuleExposure) < 0 || !c.UserRules) {
		return fmt.Errorf("%s: user_rule_exposure %q needs user_rules and a level of low, medium or high", where, c.UserRuleExposure)
	}
	if c.NewPracticeExposure != "" && levelIndex(c.NewPracticeExposure) < 0 {
		return fmt.Errorf("%s: new_practice_exposure %q is not low, medium or high", where, c.NewPracticeExposure)
	}
	if c.Floor != nil && levelIndex(c.Floor.Level) < 0 {
		return fmt.Errorf("%s: floor level %q is not low, medium or high", where, c.Floor.Level)
	}
	for _, e := range c.Escalate {
		if !knownFact[e] {
			return fmt.Errorf("%s: unknown escalate fact %q", where, e)
		}
	}
	for fact, lvl := range c.CapUnless {
		if !knownFact[fact] {
			return fmt.Errorf("%s: cap_unless: unknown fact %q", where, fact)
		}
		if levelIndex(lvl) < 0 {
			return fmt.Errorf("%s: cap_unless %s: %q is not low, medium or high", where, fact, lvl)
		}
	}
	if strict && len(c.Frames) == 0 {
		return fmt.Errorf("%s: no frames", where)
	}
	if frames && (len(c.Frames) > 0 || len(c.HighWith) > 0) {
		if r.Lexicon == nil {
			return fmt.Errorf("%s: frames need a lexicon", where)
		}
		if err := c.compileFrames(r.Lexicon); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		c.signature = newConceptSet(len(r.Lexicon.Concepts))
		for _, fr := range c.Frames {
			for _, s := range fr.slots {
				for i := range s {
					c.signature[i] |= s[i]
				}
			}
		}
		if len(c.AlsoNames) > 0 {
			also, err := r.Lexicon.conceptsOf(c.AlsoNames)
			if err != nil {
				return fmt.Errorf("%s: also_names: %w", where, err)
			}
			for i := range also {
				c.signature[i] |= also[i]
			}
		}
		var err error
		if c.highWith, err = r.Lexicon.optionalConcepts(c.HighWith); err != nil {
			return fmt.Errorf("%s: high_with: %w", where, err)
		}
		if c.lowerWith, err = r.Lexicon.optionalConcepts(c.LowerWith); err != nil {
			return fmt.Errorf("%s: lower_with: %w", where, err)
		}
		if len(c.LowerWith) > 0 && c.LowerBecause == "" {
			return fmt.Errorf("%s: lower_with needs lower_because", where)
		}
	}
	for k, p := range c.Provisions {
		if _, ok := r.Frameworks[p.Framework]; !ok {
			return fmt.Errorf("%s: provision %d (%s): unknown framework %q", where, k, p.Citation, p.Framework)
		}
		if p.Citation == "" {
			return fmt.Errorf("%s: provision %d: empty citation", where, k)
		}
	}
	return nil
}

// knownFact lists the profile and platform facts rules may name.
var knownFact = map[string]bool{
	"serves_children": true, "health_data": true, "financial_data": true, "advertises": true,
	"vlop": true, "gatekeeper": true, "allows_minors": true, "financial": true, "minors": true,
}

// levelIndex returns a finding level's index in Levels (low 0, medium 1,
// high 2), or -1.
func levelIndex[S ~string](l S) int {
	for i, n := range levelNames {
		if string(n) == string(l) {
			return i
		}
	}
	return -1
}
