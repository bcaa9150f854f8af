package main

import (
	"github.com/slant-news/slant"
	"github.com/slant-news/slant/docclass"
)

func init() {
	// Genre and frames read only the text.
	analyzers.Register("docclass", 41, func() (slant.Analyzer, error) { return docclass.New(nil, nil) })
}
