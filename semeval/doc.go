// Package semeval reads and writes the file formats of SemEval-2023 Task 3
// (genre, frames, persuasion techniques per paragraph and as spans) and
// SemEval-2025 Task 10 (entity roles, narratives, explanations), loads the
// article folders those tasks ship, and computes their official metrics.
//
// Every reader takes the file's name for its error messages, tolerates
// trailing white space, CRLF line ends and blank lines, and reports the first
// malformed line as one line "file:line: reason" (a *ParseError). Every
// writer produces lines its reader parses back to the same records.
//
// Offsets in these formats are Unicode code point offsets (Python string
// indices): Span.End is exclusive (SemEval-2023 Task 3), RoleMention.End is
// inclusive (SemEval-2025 Task 10). Convert them with text.Index.
package semeval
