package analysis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
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

// Levels, lowest first.
var levelNames = []string{"low", "medium", "high"}

// Rules is a parsed rules file: categories with their signals, exposure
// rules, provisions and texts, plus the frameworks provisions refer to.
type Rules struct {
	// About explains the file to a person editing it; it is not used.
	About []string `json:"about,omitempty"`
	// Version of the rules file format.
	Version int `json:"version"`
	// Negation configures negated-promise handling.
	Negation Negation `json:"negation"`
	// Frameworks by id (gdpr, ccpa…).
	Frameworks map[string]Framework `json:"frameworks"`
	// Categories, one per DESIGN id.
	Categories []Category `json:"categories"`

	byID map[string]*Category
}

// Negation lists the words that turn a signal into a promise not to do it
// ("we do not sell") and how far back they are looked for.
type Negation struct {
	// Cues are negation words or phrases ("not", "never", "no longer").
	Cues []string `json:"cues"`
	// Window is how many words before a match a cue may sit.
	Window int `json:"window"`
	// Breaks are words that end a negation's scope ("but", "unless").
	Breaks []string `json:"breaks"`

	cues [][]string
}

// Framework is a legal framework provisions belong to.
type Framework struct {
	// Name is the short display name ("GDPR").
	Name string `json:"name"`
	// Jurisdiction is a DESIGN jurisdiction code.
	Jurisdiction string `json:"jurisdiction"`
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
	// Protective marks categories whose signals describe user protections
	// (rights, controls): adding them narrows risk, removing them widens it.
	Protective bool `json:"protective,omitempty"`
	// Negatable is true when a negation cue turns a signal into a promise.
	Negatable bool `json:"negatable"`
	// CompareDurations makes a reworded sentence whose stated period grows
	// ("90 days" → "12 months") expand the practice, and one whose period
	// shrinks narrow it (retention).
	CompareDurations bool `json:"compare_durations,omitempty"`
	// Signals that place a sentence in the category.
	Signals []Signal `json:"signals"`
	// Exclude patterns (RE2, case-insensitive, word-boundaried): a sentence
	// matching one does not count for the category.
	Exclude []string `json:"exclude,omitempty"`
	// Narrowing patterns (RE2): a counted sentence matching one narrows
	// processing (adds an opt-out, shortens retention…).
	Narrowing []string `json:"narrowing,omitempty"`
	// DefaultExposure is low, medium or high.
	DefaultExposure string `json:"default_exposure"`
	// ExposureRule is the human-readable escalation rule.
	ExposureRule string `json:"exposure_rule"`
	// Escalate lists profile or platform facts that raise the level by one:
	// serves_children, health_data, financial_data, advertises, vlop,
	// gatekeeper, allows_minors.
	Escalate []string `json:"escalate,omitempty"`
	// Floor is the level a verified prohibition never lets exposure drop below.
	Floor *Floor `json:"floor,omitempty"`
	// Provisions engaged by the category.
	Provisions []RuleProvision `json:"provisions"`
	// Checklist templates.
	Checklist []string `json:"checklist"`
	// ContractImplications texts.
	ContractImplications []string `json:"contract_implications"`
	// ComplianceConsiderations texts.
	ComplianceConsiderations []string `json:"compliance_considerations"`

	signals   []compiledSignal
	pre       prefilter // literal first pass over all signals
	exclude   []*regexp.Regexp
	narrowing []*regexp.Regexp
}

// Signal is one phrase or regular expression of a category. Phrase syntax:
// words separated by spaces (a space also matches a hyphen or slash),
// "word*" matches a prefix, "..." skips up to six words, "(a|b c)" groups
// alternatives. Pattern is an RE2 expression. Both match case-insensitively
// at word boundaries, one sentence at a time.
type Signal struct {
	// ID names the signal in findings' Rule field.
	ID string `json:"id"`
	// Phrase in the phrase syntax.
	Phrase string `json:"phrase,omitempty"`
	// Pattern is a regular expression (alternative to Phrase).
	Pattern string `json:"pattern,omitempty"`
	// Protective marks a signal that states a safeguard (a transfer
	// mechanism, advance notice, parental consent): a match is a promise,
	// so removing it weakens and adding it narrows.
	Protective bool `json:"protective,omitempty"`
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

type compiledSignal struct {
	id         string
	re         *regexp.Regexp
	pre        prefilter
	protective bool
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
	if err := r.compile(true); err != nil {
		return nil, err
	}
	return r, nil
}

// ParseUserRules parses a user rules file, which may hold only the
// categories and frameworks it overrides or adds. Use MergeRules to apply
// it over the built-in rules.
func ParseUserRules(data []byte) (*Rules, error) {
	r, err := decodeRules(data)
	if err != nil {
		return nil, err
	}
	if err := r.compile(false); err != nil {
		return nil, err
	}
	return r, nil
}

func decodeRules(data []byte) (*Rules, error) {
	var r Rules
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("rules: decode: %w", err)
	}
	return &r, nil
}

// compile validates the rules and compiles their expressions.
func (r *Rules) compile(strict bool) error {
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
	}
	if r.Negation.Window <= 0 {
		r.Negation.Window = 5
	}
	r.Negation.cues = nil
	for _, c := range r.Negation.Cues {
		r.Negation.cues = append(r.Negation.cues, strings.Fields(strings.ToLower(c)))
	}
	isCategory := map[string]bool{}
	for _, id := range CategoryIDs {
		isCategory[id] = true
	}
	r.byID = map[string]*Category{}
	var errs []error
	for k := range r.Categories {
		c := &r.Categories[k]
		if err := c.compile(r, strict, isCategory); err != nil {
			errs = append(errs, err)
			continue
		}
		if r.byID[c.ID] != nil {
			errs = append(errs, fmt.Errorf("rules: category %q: defined more than once", c.ID))
			continue
		}
		r.byID[c.ID] = c
	}
	return errors.Join(errs...)
}

func (c *Category) compile(r *Rules, strict bool, isCategory map[string]bool) error {
	where := fmt.Sprintf("rules: category %q", c.ID)
	if c.ID == "" {
		return errors.New("rules: category with empty id")
	}
	if strict && !isCategory[c.ID] {
		return fmt.Errorf("%s: not a DESIGN category id", where)
	}
	if levelIndex(c.DefaultExposure) < 0 {
		return fmt.Errorf("%s: default_exposure %q is not low, medium or high", where, c.DefaultExposure)
	}
	if c.Floor != nil && levelIndex(c.Floor.Level) < 0 {
		return fmt.Errorf("%s: floor level %q is not low, medium or high", where, c.Floor.Level)
	}
	for _, e := range c.Escalate {
		if !knownFact[e] {
			return fmt.Errorf("%s: unknown escalate fact %q", where, e)
		}
	}
	if strict && len(c.Signals) == 0 {
		return fmt.Errorf("%s: no signals", where)
	}
	c.signals = nil
	var union []string
	for k, s := range c.Signals {
		expr := s.Pattern
		if s.Phrase != "" {
			if s.Pattern != "" {
				return fmt.Errorf("%s: signal %d (%s): both phrase and pattern", where, k, s.ID)
			}
			var err error
			if expr, err = phraseToRegexp(s.Phrase); err != nil {
				return fmt.Errorf("%s: signal %d (%s): %w", where, k, s.ID, err)
			}
		} else {
			expr = `\b(?:` + expr + `)\b`
		}
		if expr == "" {
			return fmt.Errorf("%s: signal %d (%s): empty", where, k, s.ID)
		}
		re, err := regexp.Compile(`(?i)` + expr)
		if err != nil {
			return fmt.Errorf("%s: signal %d (%s): %w", where, k, s.ID, err)
		}
		id := s.ID
		if id == "" {
			id = fmt.Sprintf("signal-%d", k+1)
		}
		c.signals = append(c.signals, compiledSignal{id: id, re: re, pre: newPrefilter([]string{expr}), protective: s.Protective && !c.Protective})
		union = append(union, `(?:`+expr+`)`)
	}
	c.pre = newPrefilter(union)
	var err error
	if c.exclude, err = compilePatterns(c.Exclude); err != nil {
		return fmt.Errorf("%s: exclude: %w", where, err)
	}
	if c.narrowing, err = compilePatterns(c.Narrowing); err != nil {
		return fmt.Errorf("%s: narrowing: %w", where, err)
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

var knownFact = map[string]bool{
	"serves_children": true, "health_data": true, "financial_data": true, "advertises": true,
	"vlop": true, "gatekeeper": true, "allows_minors": true,
}

func compilePatterns(ps []string) ([]*regexp.Regexp, error) {
	var out []*regexp.Regexp
	for _, p := range ps {
		re, err := regexp.Compile(`(?i)\b(?:` + p + `)\b`)
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %w", p, err)
		}
		out = append(out, re)
	}
	return out, nil
}

func levelIndex(l string) int {
	for i, n := range levelNames {
		if n == l {
			return i
		}
	}
	return -1
}
