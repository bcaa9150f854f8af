package semeval

// Techniques are the 23 persuasion techniques of SemEval-2023 Task 3
// subtask 3, spelled exactly as the official label list
// (scorers/techniques_subtask3.txt); macro-F1 averages over them.
var Techniques = []string{
	"Appeal_to_Authority", "Appeal_to_Popularity", "Appeal_to_Values", "Appeal_to_Fear-Prejudice",
	"Flag_Waving", "Causal_Oversimplification", "False_Dilemma-No_Choice",
	"Consequential_Oversimplification", "Straw_Man", "Red_Herring", "Whataboutism", "Slogans",
	"Appeal_to_Time", "Conversation_Killer", "Loaded_Language", "Repetition",
	"Exaggeration-Minimisation", "Obfuscation-Vagueness-Confusion", "Name_Calling-Labeling", "Doubt",
	"Guilt_by_Association", "Appeal_to_Hypocrisy", "Questioning_the_Reputation",
}

// Frames are the 14 frames of SemEval-2023 Task 3 subtask 2, spelled
// exactly as the official label list (scorers/frames_subtask2.txt).
var Frames = []string{
	"Economic", "Capacity_and_resources", "Morality", "Fairness_and_equality",
	"Legality_Constitutionality_and_jurisprudence", "Policy_prescription_and_evaluation",
	"Crime_and_punishment", "Security_and_defense", "Health_and_safety", "Quality_of_life",
	"Cultural_identity", "Public_opinion", "Political", "External_regulation_and_reputation",
}

// Genres are the three classes of SemEval-2023 Task 3 subtask 1.
var Genres = []string{"reporting", "opinion", "satire"}
