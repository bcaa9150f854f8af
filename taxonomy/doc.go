// Package taxonomy holds the label sets slant predicts, each with a short
// definition written by the slant team: the 23 persuasion techniques and 14
// frames of SemEval-2023 Task 3, the genres, the two-level narrative taxonomy
// and the entity roles of SemEval-2025 Task 10. Label names are exactly the
// official ones so that predictions can be scored by the official metrics.
package taxonomy
