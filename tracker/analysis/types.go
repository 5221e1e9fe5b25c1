package analysis

// Profile describes the organisation whose exposure is assessed.
type Profile struct {
	// Jurisdictions the organisation operates in, as DESIGN codes (EU, UK,
	// US-CA…). Only these are flagged when a profile is set.
	Jurisdictions []string `json:"jurisdictions"`
	// ServesChildren is true when under-18 users are materially affected.
	ServesChildren bool `json:"serves_children"`
	// HealthData is true when the organisation processes health data.
	HealthData bool `json:"health_data"`
	// FinancialData is true when the organisation processes financial data.
	FinancialData bool `json:"financial_data"`
	// Advertises is true when the organisation advertises on the platform.
	Advertises bool `json:"advertises"`
	// Role is the organisation's role towards the platform's processing:
	// "controller", "processor", "joint-controller" or "".
	Role string `json:"role"`
	// B2BNegotiated is true when negotiated business terms override the
	// platform's consumer policy; it lowers exposure by one level.
	B2BNegotiated bool `json:"b2b_negotiated"`
}

// PlatformFacts are regulatory facts about the platform whose document changed.
type PlatformFacts struct {
	// Name of the platform, used in the rationale.
	Name string `json:"name"`
	// EULeadAuthority is the GDPR lead supervisory authority, if known.
	EULeadAuthority string `json:"eu_lead_authority"`
	// Gatekeeper is true for a DMA-designated gatekeeper.
	Gatekeeper bool `json:"gatekeeper"`
	// VLOP is true for a DSA very large online platform or search engine.
	VLOP bool `json:"vlop"`
	// AllowsMinors is true when the service admits under-18 users.
	AllowsMinors bool `json:"allows_minors"`
	// Financial is true when the platform provides financial services
	// (payments, banking, brokerage), so financial-services law applies.
	Financial bool `json:"financial"`
}

// Options configures Analyze.
type Options struct {
	// Profile of the organisation; nil means no profile: all jurisdictions
	// are flagged and no profile adjustment is made.
	Profile *Profile
	// Platform facts of the platform whose document changed.
	Platform PlatformFacts
	// Rules to classify with; nil means no classification (diff only).
	Rules *Rules
}

// Result is the analysis record of one change. Its JSON form is the object
// printed by `policywatch analyze --json`.
type Result struct {
	// Substantive is true when at least one hunk changes meaning.
	Substantive bool `json:"substantive"`
	// Exposure is "none" when nothing substantive changed, the highest
	// finding's level otherwise, and low for substantive edits no rule
	// classifies (or "none" when Analyze ran without rules).
	Exposure Level `json:"exposure"`
	// Findings, in document order.
	Findings []Finding `json:"findings"`
	// Summary is one or two sentences describing the change.
	Summary string `json:"summary"`
	// Rationale explains the change's exposure level.
	Rationale string `json:"rationale"`
	// Landscape lists the provisions engaged by the findings, deduplicated.
	Landscape []Provision `json:"landscape"`
	// Flags lists, per jurisdiction, the categories and highest level engaged.
	Flags []JurisdictionFlag `json:"jurisdiction_flags"`
	// ContractImplications are contract and vendor-management notes.
	ContractImplications []string `json:"contract_implications"`
	// ComplianceConsiderations are compliance notes.
	ComplianceConsiderations []string `json:"compliance_considerations"`
	// Checklist holds due-diligence items, one set per category.
	Checklist []ChecklistItem `json:"checklist_items"`
	// Hunks of the diff, substantive or not, in document order.
	Hunks []Hunk `json:"hunks"`
	// AddedWords counts words inserted by substantive hunks.
	AddedWords int `json:"added_words"`
	// RemovedWords counts words deleted by substantive hunks.
	RemovedWords int `json:"removed_words"`
	// SetAside lists the rules' readings the word model ruled out: no
	// finding comes from them, and they are kept here so that a reader can
	// see what was set aside and why.
	SetAside []SetAside `json:"set_aside,omitempty"`
}

// SetAside is a rule's reading of a changed sentence that the word model
// ruled out.
type SetAside struct {
	// Category is the category the rule read.
	Category string `json:"category"`
	// Rule names the frame that read it ("category/frame-id").
	Rule string `json:"rule"`
	// Sentence is the changed sentence (the new one, else the old one).
	Sentence string `json:"sentence"`
	// Probability is the word model's probability for the category, below
	// its threshold.
	Probability float64 `json:"probability"`
}

// Finding is one category engaged by one changed passage.
type Finding struct {
	// Category is a DESIGN category id.
	Category string `json:"category"`
	// Direction is "added", "removed" or "modified".
	Direction string `json:"direction"`
	// Exposure is low, medium or high.
	Exposure Level `json:"exposure"`
	// Heading is the " > " joined heading path of the passage.
	Heading string `json:"heading"`
	// Evidence is the matched sentence(s): new text for added and modified,
	// old text for removed.
	Evidence string `json:"evidence"`
	// Before is the old sentence the finding's main change replaced or
	// removed ("" for a sentence added outright).
	Before string `json:"before,omitempty"`
	// After is the new sentence ("" for a sentence removed outright).
	After string `json:"after,omitempty"`
	// Explanation says in words what changed in the statement ("The
	// reworded sentence adds advertisers.").
	Explanation string `json:"explanation,omitempty"`
	// Rule names the frame that matched ("category/frame-id"), with
	// " (promise)" when the statement is negated, or " (disclaimer)" when
	// it is negated in a category that disclaims ("we are not liable").
	Rule string `json:"rule,omitempty"`
	// Rationale explains the finding's exposure.
	Rationale string `json:"rationale,omitempty"`
	// Effect is "expands", "narrows", "removes-promise", "adds-promise" or
	// "changes": what the edit does to the practice.
	Effect string `json:"effect,omitempty"`
	// Jurisdictions flagged with their provisions.
	Jurisdictions []Jurisdiction `json:"jurisdictions"`
	// Checklist items for this category.
	Checklist []string `json:"checklist"`

	region int     // changed region of the diff the finding comes from
	deltas []delta // changes of meaning behind the finding, most severe first
}

// Jurisdiction is one flagged jurisdiction of a finding.
type Jurisdiction struct {
	// Code is a DESIGN jurisdiction code.
	Code string `json:"code"`
	// Provisions engaged in that jurisdiction.
	Provisions []ProvisionRef `json:"provisions"`
}

// ProvisionRef is a provision as printed inside a finding.
type ProvisionRef struct {
	// Framework is the framework's short name (GDPR, CCPA…).
	Framework string `json:"framework"`
	// Citation is exact as in the verified reference.
	Citation string `json:"citation"`
	// Title is the provision's short title.
	Title string `json:"title"`
}

// Provision is an entry of the regulatory landscape.
type Provision struct {
	// Framework is the framework's short name.
	Framework string `json:"framework"`
	// Citation is exact as in the verified reference.
	Citation string `json:"citation"`
	// Title is the provision's short title.
	Title string `json:"title"`
	// Why explains why the provision matters here.
	Why string `json:"why"`
	// Jurisdictions are the DESIGN codes where it applies.
	Jurisdictions []string `json:"jurisdictions"`
	// Categories that engaged it.
	Categories []string `json:"categories,omitempty"`
}

// JurisdictionFlag summarises one jurisdiction's engagement by a change.
type JurisdictionFlag struct {
	// Code is a DESIGN jurisdiction code.
	Code string `json:"code"`
	// Exposure is the highest level among the findings engaging it.
	Exposure Level `json:"exposure"`
	// Categories engaging it, sorted.
	Categories []string `json:"categories"`
	// Frameworks engaged there, sorted.
	Frameworks []string `json:"frameworks"`
}

// ChecklistItem is a due-diligence step generated from a category template.
type ChecklistItem struct {
	// Category the item comes from.
	Category string `json:"category"`
	// Text of the step.
	Text string `json:"text"`
}

// Hunk is one changed block (or group of words within a block).
type Hunk struct {
	// Op is "added", "removed", "modified" or "moved".
	Op string `json:"op"`
	// Heading is the " > " joined heading path the block sits under.
	Heading string `json:"heading"`
	// Old is the old block text ("" for added).
	Old string `json:"old,omitempty"`
	// New is the new block text ("" for removed).
	New string `json:"new,omitempty"`
	// Substantive is false for cosmetic-only edits and moves.
	Substantive bool `json:"substantive"`
	// Reason says why a hunk is not substantive (quotes, whitespace…).
	Reason string `json:"reason,omitempty"`
	// Words is the word diff of a modified hunk.
	Words []WordOp `json:"words,omitempty"`

	oldBlock, newBlock *block
	region             int // index of the changed region (pairing scope)
}

// WordOp is one run of the word diff of a modified hunk.
type WordOp struct {
	// Op is "equal", "added" or "removed".
	Op string `json:"op"`
	// Text of the run, with its original spacing.
	Text string `json:"text"`
}

// Hunk operations.
const (
	OpAdded    = "added"
	OpRemoved  = "removed"
	OpModified = "modified"
	OpMoved    = "moved"
	OpEqual    = "equal"
)
