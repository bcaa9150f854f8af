package slant

import "time"

// Outlet is a publisher with its public reliability and bias profile.
type Outlet struct {
	// Domain is the outlet's registrable domain ("rt.com"), the key.
	Domain string `json:"domain"`
	Name   string `json:"name,omitempty"`
	// Factuality is "high", "mixed" or "low" (Media Bias/Fact Check scale as
	// used by Baly et al.), "" when unknown.
	Factuality string `json:"factuality,omitempty"`
	// Bias is a left-right label ("left", "center", "right-center", ...), or
	// a non-spectrum label such as "conspiracy-pseudoscience".
	Bias string `json:"bias,omitempty"`
	// Reliability is a score in [-1, 1] (higher is more reliable) where a
	// public list provides one; nil when unknown.
	Reliability *float64 `json:"reliability,omitempty"`
	// Sources names the lists the profile was compiled from.
	Sources []string `json:"sources,omitempty"`
}

// Story is a group of articles from one or more outlets about one event.
type Story struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	// Articles are the stored ids of the member articles, earliest first.
	Articles []string `json:"articles"`
	// Reason says why the articles were grouped: the shared entities and
	// terms and the similarity that decided it.
	Reason  string    `json:"reason,omitempty"`
	First   time.Time `json:"first,omitempty"`
	Last    time.Time `json:"last,omitempty"`
	Pinned  bool      `json:"pinned,omitempty"` // an analyst edited it; regrouping keeps it
	Outlets []string  `json:"outlets,omitempty"`
}
