package taxonomy

// EntityRole is one of the 22 fine-grained entity roles of SemEval-2025
// Task 10 subtask 1. Each belongs to one main role.
type EntityRole struct {
	// Main is the main role: "Protagonist", "Antagonist" or "Innocent".
	Main string
	// Fine is the official fine role name ("Foreign Adversary").
	Fine string
	// Definition is the slant team's one-line description.
	Definition string
}

var entityRoles = []EntityRole{
	{"Protagonist", "Guardian", "Protects people, values or order: soldiers, police, leaders who keep others safe."},
	{"Protagonist", "Martyr", "Suffers or dies for a cause and is honoured for it."},
	{"Protagonist", "Peacemaker", "Seeks to end conflict through talks, mediation or compromise."},
	{"Protagonist", "Rebel", "Defies an oppressive order or the powerful to win change or freedom."},
	{"Protagonist", "Underdog", "Weaker side that fights on against a stronger one."},
	{"Protagonist", "Virtuous", "Shown as honest, fair and morally upright; an example to follow."},
	{"Antagonist", "Instigator", "Starts or provokes the conflict; blamed as its cause."},
	{"Antagonist", "Conspirator", "Plots in secret, behind the scenes, to reach hidden ends."},
	{"Antagonist", "Tyrant", "Rules by force and abuses power over others."},
	{"Antagonist", "Foreign Adversary", "An outside power cast as the enemy of the nation or its allies."},
	{"Antagonist", "Traitor", "Betrays their own side, country or cause."},
	{"Antagonist", "Spy", "Gathers secrets or acts covertly for a hostile power."},
	{"Antagonist", "Saboteur", "Deliberately wrecks or undermines efforts, systems or infrastructure."},
	{"Antagonist", "Corrupt", "Abuses office or trust for money or personal gain."},
	{"Antagonist", "Incompetent", "Fails through ineptitude, poor judgement or mismanagement."},
	{"Antagonist", "Terrorist", "Uses violence or terror against civilians for political ends."},
	{"Antagonist", "Deceiver", "Lies, spreads propaganda or misleads the public."},
	{"Antagonist", "Bigot", "Shows prejudice or hatred against a group of people."},
	{"Innocent", "Forgotten", "Neglected or ignored; their plight goes unseen."},
	{"Innocent", "Exploited", "Used or taken advantage of by others for their gain."},
	{"Innocent", "Victim", "Harmed by violence, disaster or injustice through no fault of their own."},
	{"Innocent", "Scapegoat", "Unfairly blamed for problems others caused."},
}

// MainRoles are the three main entity roles, in the official order.
var MainRoles = []string{"Protagonist", "Antagonist", "Innocent"}

// EntityRoles returns the 22 fine roles in the official order.
func EntityRoles() []EntityRole { return append([]EntityRole(nil), entityRoles...) }

// MainRoleOf returns the main role of a fine role, or "" for an unknown name.
func MainRoleOf(fine string) string {
	for _, r := range entityRoles {
		if r.Fine == fine {
			return r.Main
		}
	}
	return ""
}

// FineRolesOf returns the fine roles of a main role, in the official order.
func FineRolesOf(main string) []string {
	var out []string
	for _, r := range entityRoles {
		if r.Main == main {
			out = append(out, r.Fine)
		}
	}
	return out
}
