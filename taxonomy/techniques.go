package taxonomy

// Technique is one persuasion technique of SemEval-2023 Task 3 (subtask 3)
// with a one-line definition written by the slant team.
type Technique struct {
	// Name is the official label, spelled exactly as in the task's
	// techniques_subtask3.txt.
	Name string
	// Definition says in one line what the technique does to the reader.
	Definition string
}

// Techniques lists the 23 persuasion techniques in the order of the
// official label list.
var Techniques = []Technique{
	{"Appeal_to_Authority", "Presents a claim as true because an expert, institution or famous person backs it, rather than on its merits."},
	{"Appeal_to_Popularity", "Argues that something is right or true because many people, or \"everyone\", believe or do it."},
	{"Appeal_to_Values", "Ties a position to values the audience holds dear (freedom, tradition, justice) so that opposing it feels like betraying them."},
	{"Appeal_to_Fear-Prejudice", "Pushes a view by stirring up fear of what will happen otherwise, or by playing on prejudice against a group."},
	{"Flag_Waving", "Justifies a position by appeal to national or group pride and identity: it is what \"we\" or patriots must want."},
	{"Causal_Oversimplification", "Blames a complex outcome on a single cause, ignoring the other factors that contributed."},
	{"False_Dilemma-No_Choice", "Offers only two options (or one) when more exist, so that the preferred one looks inevitable."},
	{"Consequential_Oversimplification", "Claims that one step will set off a chain of ever worse (or better) consequences without showing why (a slippery slope)."},
	{"Straw_Man", "Refutes a distorted, weaker version of an opponent's position instead of the position actually held."},
	{"Red_Herring", "Shifts attention to an unrelated matter to draw the reader away from the issue under discussion."},
	{"Whataboutism", "Deflects criticism by pointing at a wrong committed by the critic or someone else, instead of answering it."},
	{"Slogans", "Uses a short, catchy phrase that packs a stance into a memorable formula in place of an argument."},
	{"Appeal_to_Time", "Insists that now is the moment to act (or that time has run out), making urgency the reason to agree."},
	{"Conversation_Killer", "Closes off discussion with a phrase that discourages further thought (\"end of story\", \"it is what it is\")."},
	{"Loaded_Language", "Chooses words and phrases with strong emotional charge to sway the reader rather than to describe."},
	{"Repetition", "Repeats the same word, phrase or claim again and again so that it sticks and feels true."},
	{"Exaggeration-Minimisation", "Makes something look much bigger, better or worse than it is, or plays down something that matters."},
	{"Obfuscation-Vagueness-Confusion", "Uses deliberately unclear wording so that the reader can read into it whatever suits the writer."},
	{"Name_Calling-Labeling", "Attaches a label or epithet to a person or group so that the audience loves or hates them on sight."},
	{"Doubt", "Casts doubt on the credibility or competence of someone or something without substantiating it."},
	{"Guilt_by_Association", "Discredits someone or something by linking it to a group, person or idea the audience already despises."},
	{"Appeal_to_Hypocrisy", "Attacks an opponent for inconsistency or hypocrisy between their words and deeds, instead of addressing the argument."},
	{"Questioning_the_Reputation", "Attacks the character or record of a person or group to undermine them, rather than their argument."},
}

// TechniqueNames returns the official names of the 23 techniques in the
// order of Techniques.
func TechniqueNames() []string {
	out := make([]string, len(Techniques))
	for i, t := range Techniques {
		out[i] = t.Name
	}
	return out
}

// LookupTechnique returns the technique with the given official name.
func LookupTechnique(name string) (Technique, bool) {
	for _, t := range Techniques {
		if t.Name == name {
			return t, true
		}
	}
	return Technique{}, false
}
