package main

import (
	"github.com/slant-news/slant"
	"github.com/slant-news/slant/techniques"
)

func init() {
	// Techniques read only the text and the shared segmentation, so they
	// can run first.
	analyzers.Register("techniques", 10, func() (slant.Analyzer, error) { return techniques.New(nil) })
}
