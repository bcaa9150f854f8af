package main

import (
	"github.com/slant-news/slant"
	"github.com/slant-news/slant/entities"
	"github.com/slant-news/slant/quotes"
)

func init() {
	// Entities first; roles read the entities; quotes link speakers to them.
	analyzers.Register("entities", 50, func() (slant.Analyzer, error) { return entities.New(), nil })
	analyzers.Register("roles", 51, func() (slant.Analyzer, error) {
		if _, err := entities.DefaultRoleModel(); err != nil {
			return nil, err
		}
		return entities.NewRoleAnalyzer(nil), nil
	})
	analyzers.Register("quotes", 52, func() (slant.Analyzer, error) { return quotes.New(), nil })
}
