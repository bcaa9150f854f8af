package taxonomy

// Frame is one of the 14 framing dimensions of SemEval-2023 Task 3 subtask 2
// (after the Media Frames Corpus): the angle from which an article presents
// its issue.
type Frame struct {
	// Label is the official name ("Security_and_defense").
	Label string
	// Definition is the slant team's one-line description.
	Definition string
	// Cues are lower-case word stems typical of the frame; a word matches a
	// cue when it starts with it. Written by the slant team.
	Cues []string
}

var frames = []Frame{
	{"Economic", "Costs, benefits, money, jobs, markets and the economic consequences of the issue.",
		[]string{"econom", "cost", "price", "money", "budget", "tax", "market", "invest", "profit", "dollar", "billion", "inflation", "trade", "business", "jobs", "wage", "financ", "bank"}},
	{"Capacity_and_resources", "Whether there are enough people, material, time or infrastructure to act.",
		[]string{"resourc", "capacit", "shortage", "suppl", "stock", "infrastructure", "staff", "equipment", "fund", "lack", "insufficient", "scarc"}},
	{"Morality", "Right and wrong, religious or ethical duties, virtue, sin and conscience.",
		[]string{"moral", "evil", "sin", "god", "christ", "church", "faith", "relig", "ethic", "wicked", "righteous", "shame", "conscience", "virtue", "holy", "pray"}},
	{"Fairness_and_equality", "Whether people are treated equally, discrimination, rights and double standards.",
		[]string{"fair", "unfair", "equal", "discriminat", "racis", "rights", "justice", "double standard", "privileg", "bias", "hypocr", "minorit"}},
	{"Legality_Constitutionality_and_jurisprudence", "Laws, courts, constitutional rights, rulings, lawsuits and legal authority.",
		[]string{"court", "judge", "law", "legal", "constitution", "amendment", "lawsuit", "ruling", "attorney", "justice", "supreme", "statute", "prosecut", "indict", "trial", "legislat"}},
	{"Policy_prescription_and_evaluation", "Specific policies proposed or in force and whether they work.",
		[]string{"policy", "policies", "plan", "proposal", "bill", "reform", "measure", "regulat", "program", "should", "must", "mandate", "strategy"}},
	{"Crime_and_punishment", "Crimes, violations, police, investigations, arrests and punishments.",
		[]string{"crime", "criminal", "police", "arrest", "murder", "kill", "investigat", "prison", "jail", "charged", "convict", "fbi", "fraud", "corrupt", "shoot", "sentenc"}},
	{"Security_and_defense", "Threats to a nation's or people's security, war, terrorism, military and borders.",
		[]string{"war", "military", "army", "defen", "secur", "terror", "attack", "weapon", "troops", "missile", "nato", "border", "soldier", "invasion", "threat", "nuclear"}},
	{"Health_and_safety", "Health care, disease, vaccines, injury and public safety.",
		[]string{"health", "vaccin", "virus", "covid", "disease", "pandemic", "hospital", "doctor", "medic", "patient", "death", "infect", "safety", "drug", "mask"}},
	{"Quality_of_life", "Effects on people's daily lives, wellbeing, families and communities.",
		[]string{"famil", "life", "lives", "children", "home", "communit", "live", "daily", "wellbeing", "happiness", "parent", "poverty", "housing"}},
	{"Cultural_identity", "Traditions, customs, national or group identity and values of a culture.",
		[]string{"cultur", "tradition", "identity", "heritage", "nation", "values", "patriot", "language", "christian", "muslim", "western civilization", "history"}},
	{"Public_opinion", "What the public thinks: polls, protests, popular sentiment and social media reactions.",
		[]string{"poll", "survey", "public opinion", "voters", "protest", "majority", "percent", "backlash", "outrage", "popular", "support"}},
	{"Political", "Politics as a contest: parties, elections, politicians' manoeuvres and partisan conflict.",
		[]string{"politic", "democrat", "republican", "elect", "vote", "party", "parties", "campaign", "congress", "senat", "president", "biden", "trump", "parliament", "liberal", "conservativ", "left", "gop"}},
	{"External_regulation_and_reputation", "A country's standing abroad and its relations with other countries and international bodies.",
		[]string{"international", "foreign", "diplomat", "sanction", "united nations", "treaty", "allies", "reputation", "relations", "china", "russia", "eu", "embassy", "global"}},
}

// Frames returns the 14 frames in the official order.
func Frames() []Frame { return append([]Frame(nil), frames...) }

// Genres of SemEval-2023 Task 3 subtask 1.
const (
	GenreOpinion   = "opinion"
	GenreReporting = "reporting"
	GenreSatire    = "satire"
)

// Genre is an article genre with its definition.
type Genre struct {
	Label      string
	Definition string
}

var genres = []Genre{
	{GenreOpinion, "The author argues a position: commentary, editorial, column or analysis in which the writer's own judgements and calls to act are part of the text."},
	{GenreReporting, "The article reports events and statements attributed to sources, aiming at neutral, factual news coverage."},
	{GenreSatire, "The article imitates news or commentary to mock its subject through irony, exaggeration and invented absurd events."},
}

// Genres returns the three genres.
func Genres() []Genre { return append([]Genre(nil), genres...) }
