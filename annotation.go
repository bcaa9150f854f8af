package slant

// TechniqueSpan is a persuasion technique (SemEval-2023 Task 3) found at a
// span of the text.
type TechniqueSpan struct {
	Span
	Technique string `json:"technique"`
	// Score is the model's calibrated probability for this span.
	Score float64 `json:"score"`
}

// ParagraphLabels is the set of techniques found in one paragraph (a line of
// the text, numbered from 1 as in SemEval-2023 Task 3 subtask 3).
type ParagraphLabels struct {
	Span
	Paragraph  int      `json:"paragraph"`
	Techniques []string `json:"techniques"`
	// Scores holds the probability of each entry of Techniques.
	Scores []float64 `json:"scores,omitempty"`
}

// Label is an article-level label (a genre or a frame) with its probability.
type Label struct {
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

// Narrative is a narrative of the SemEval-2025 Task 10 taxonomy that the
// article pushes. Subnarrative is "" when only the coarse narrative was
// assigned, and "<narrative>: Other" when the narrative fits but none of its
// subnarratives does.
type Narrative struct {
	Narrative    string  `json:"narrative"`
	Subnarrative string  `json:"subnarrative,omitempty"`
	Score        float64 `json:"score"`
	// Evidence are the sentences that support the label, best first.
	Evidence []Span `json:"evidence,omitempty"`
}

// Main entity roles of SemEval-2025 Task 10 subtask 1.
const (
	Protagonist = "Protagonist"
	Antagonist  = "Antagonist"
	Innocent    = "Innocent"
)

// Role is how an article casts an entity: a main role and one or more of
// the 22 fine roles.
type Role struct {
	Main  string   `json:"main"`
	Fine  []string `json:"fine,omitempty"`
	Score float64  `json:"score"`
}

// Entity kinds.
const (
	KindPerson       = "person"
	KindOrganization = "organization"
	KindPlace        = "place" // countries, cities, and governments named by their capital
	KindGroup        = "group" // peoples, nationalities, unnamed collectives ("the Ukrainian regime")
)

// Mention is one occurrence of an entity in the text.
type Mention struct {
	Span
	Text string `json:"text"`
}

// Entity is a named entity of an article with all its mentions grouped under
// one canonical name.
type Entity struct {
	ID       int       `json:"id"`
	Name     string    `json:"name"`
	Kind     string    `json:"kind"`
	Mentions []Mention `json:"mentions"`
	// Role is how the article casts the entity, nil when not assessed.
	Role *Role `json:"role,omitempty"`
}

// Quote kinds.
const (
	QuoteDirect   = "direct"   // words inside quotation marks presented as said
	QuoteIndirect = "indirect" // reported speech: "X said that ...", "according to X"
	QuoteScare    = "scare"    // quotation marks around a word or short phrase, not a statement
)

// Quote is something an article presents as said or written by someone.
type Quote struct {
	Span
	Kind string `json:"kind"`
	Text string `json:"text"`
	// Speaker is the resolved canonical speaker, "" when unresolved.
	Speaker string `json:"speaker,omitempty"`
	// SpeakerSpan is the mention in the text that names the speaker (it may
	// be a pronoun or a description such as "the general"); zero when none.
	SpeakerSpan Span `json:"speaker_span"`
	// SpeakerEntity is the Entity.ID of the speaker, 0 when not linked.
	SpeakerEntity int `json:"speaker_entity,omitempty"`
	// Cue is the speech verb or phrase ("said", "according to").
	Cue     string `json:"cue,omitempty"`
	CueSpan Span   `json:"cue_span"`
	// Resolved is false when the speaker could not be determined; Context
	// then holds the surrounding sentence so the reader can judge.
	Resolved bool `json:"resolved"`
	Context  Span `json:"context"`
}
