package main

import (
	"github.com/slant-news/slant"
	"github.com/slant-news/slant/narratives"
)

func init() {
	// Narratives read only the text and the shared sentences.
	analyzers.Register("narratives", 40, func() (slant.Analyzer, error) { return narratives.New(nil) })
}
