// Package slant holds the domain of the slant news analyser: articles, the
// annotations analyzers attach to them, stories across outlets, and the
// interfaces (Analyzer, Store) that the subpackages implement.
//
// Every annotation is a half-open byte range [Start, End) into the one
// canonical Article.Text, which is kept exactly as read. Code point offsets
// (the SemEval convention) are derived from it at the output boundary.
//
// The root package has no logic beyond small helpers and imports only the
// standard library.
package slant

import (
	"errors"
	"fmt"
)

// Error codes. A code says what kind of failure happened so that callers
// (the CLI, the HTTP API) can map it to an exit status or HTTP status in one
// place.
const (
	EINVALID     = "invalid"     // the input is malformed or not usable
	ENOTFOUND    = "not_found"   // the thing asked for does not exist
	EUNSUPPORTED = "unsupported" // the request is valid but cannot be served (no model, unknown format)
	ECONFLICT    = "conflict"    // the request clashes with stored state
	EINTERNAL    = "internal"    // a bug or an unexpected failure
)

// Error is a failure with a machine-readable code and a one-line message fit
// for a user.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the user-facing message of the first *Error in err's
// chain, or err.Error() for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	if err == nil {
		return ""
	}
	return err.Error()
}
