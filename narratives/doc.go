// Package narratives finds which known narratives of the SemEval-2025 Task 10
// taxonomy an article pushes (Russia–Ukraine war and climate change), at the
// level of narratives and of subnarratives, with the sentences that support
// each one, and writes short extractive explanations of an article's dominant
// narrative (subtask 3).
//
// Predictions always respect the taxonomy: one domain per article, every
// subnarrative's narrative is predicted too, "<narrative>: Other" stands for
// a narrative none of whose subnarratives fits, and "Other" for an article
// with no narrative. The model is two one-vs-rest logistic regressions of
// package learn over hashed word and bigram features plus the similarity of
// the article to the slant team's label definitions (package taxonomy).
package narratives
