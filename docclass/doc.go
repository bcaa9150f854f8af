// Package docclass classifies whole articles: their genre (opinion,
// reporting or satire) and the frames through which they present their
// issue (the 14 frames of SemEval-2023 Task 3 subtask 2). Both are
// one-vs-rest logistic regressions of package learn over hashed words and
// bigrams plus stylistic cues (first and second person, quotation, question
// and exclamation marks, hedges, sentence length) and the frame cue
// lexicons of package taxonomy.
package docclass
