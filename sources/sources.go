// Package sources profiles news outlets by domain: factuality, bias and a
// reliability score compiled from public lists (see README.md for their
// provenance and licences), plus user overrides read from a CSV file.
package sources

//go:generate go run ./gen -data ../../shared/data/source-profiles -out profiles.tsv.gz

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"

	"github.com/slant-news/slant"
)

//go:embed profiles.tsv.gz
var profilesGz []byte

// provenance decodes the codes of the provenance column of profiles.tsv.gz.
var provenance = map[string]string{
	"m":   "MBFC (mbfc.csv of Burdisso et al. 2024)",
	"b20": "Baly et al. 2020 (MBFC labels)",
	"b18": "Baly et al. 2018 (MBFC labels)",
	"n":   "NELA-GT-2018 (name)",
	"r":   "Burdisso et al. 2024 reliability score (p+fp-average)",
	"g":   "Burdisso et al. 2024 golden-truth label",
}

// Table maps registrable domains to outlet profiles. A Table is immutable
// once built and safe for concurrent use.
type Table struct {
	m map[string]slant.Outlet
	// parent is the table this one overrides; nil for the compiled one.
	parent *Table
}

// get returns the profile of exactly host, from t or the tables it
// overrides.
func (t *Table) get(host string) (slant.Outlet, bool) {
	for ; t != nil; t = t.parent {
		if o, ok := t.m[host]; ok {
			return o, true
		}
	}
	return slant.Outlet{}, false
}

var (
	defaultOnce  sync.Once
	defaultTable *Table
	defaultErr   error
)

// Default returns the table compiled into the binary. It is parsed on first
// use.
func Default() *Table {
	defaultOnce.Do(func() {
		defaultTable, defaultErr = parseEmbedded(profilesGz)
	})
	if defaultErr != nil {
		// The embedded file is built and tested with the package; a parse
		// failure is a build defect, and an empty table keeps callers
		// working rather than crashing on a lookup.
		return &Table{m: map[string]slant.Outlet{}}
	}
	return defaultTable
}

// Lookup returns the profile of the outlet that publishes at domainOrURL
// from the compiled table. See Table.Lookup.
func Lookup(domainOrURL string) (slant.Outlet, bool) {
	return Default().Lookup(domainOrURL)
}

// LoadOverrides reads a user outlets CSV (see Table.WithOverrides) on top of
// the compiled table.
func LoadOverrides(r io.Reader) (*Table, error) {
	return Default().WithOverrides(r)
}

// Len returns the number of outlets in the table.
func (t *Table) Len() int {
	n := len(t.m)
	if t.parent != nil {
		n += t.parent.Len()
		for d := range t.m {
			if _, ok := t.parent.get(d); ok {
				n--
			}
		}
	}
	return n
}

// Lookup returns the profile of the outlet that publishes at domainOrURL:
// "rt.com", "https://www.rt.com/news/1/", "M.RT.COM". The host is lower-cased
// and stripped of www., m. and amp.; when it has no profile of its own, its
// parent domains are tried up to the registrable domain (eTLD+1), so
// "news.example.co.uk" falls back to "example.co.uk" but never to "co.uk".
func (t *Table) Lookup(domainOrURL string) (slant.Outlet, bool) {
	host := Host(domainOrURL)
	if host == "" {
		return slant.Outlet{}, false
	}
	reg, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		reg = host
	}
	for h := host; ; {
		if o, ok := t.get(h); ok {
			o.Sources = append([]string(nil), o.Sources...)
			return o, true
		}
		if h == reg || len(h) <= len(reg) {
			return slant.Outlet{}, false
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			return slant.Outlet{}, false
		}
		h = h[i+1:]
	}
}

// Host returns the normalised host of a domain or URL: lower case, no
// port, no trailing dot, without a leading www., m. or amp. label. It
// returns "" when s has no usable host.
func Host(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "http://" + strings.TrimPrefix(s, "//")
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	h := strings.Trim(u.Hostname(), ".")
	if strings.Contains(h, "..") {
		return ""
	}
	for {
		cut := false
		for _, p := range []string{"www.", "m.", "amp.", "mobile."} {
			// Keep at least one dot so "m.com" stays "m.com".
			if rest, ok := strings.CutPrefix(h, p); ok && strings.Contains(rest, ".") {
				h, cut = rest, true
			}
		}
		if !cut {
			break
		}
	}
	// IP literals, escapes and anything with separators are not outlet
	// domains.
	if h == "" || !validHost(h) {
		return ""
	}
	return h
}

// WithOverrides returns a copy of t with the outlets of a user CSV added or
// overriding. Columns: domain,name,factuality,bias,reliability (a header row
// starting with "domain" is optional; lines starting with # are comments).
// An empty field keeps the compiled value; factuality is high, mixed or
// low; reliability is a number in [-1, 1].
func (t *Table) WithOverrides(r io.Reader) (*Table, error) {
	// The overrides are a layer over t, which stays unchanged.
	out := &Table{m: map[string]slant.Outlet{}, parent: t}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, slant.Errorf(slant.EINVALID, "outlets file: %v", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 0 || (len(rec) == 1 && strings.TrimSpace(rec[0]) == "") {
			continue
		}
		if strings.EqualFold(strings.TrimSpace(rec[0]), "domain") {
			continue
		}
		if len(rec) > 5 {
			return nil, slant.Errorf(slant.EINVALID, "outlets file line %d: %d fields, want at most 5 (domain,name,factuality,bias,reliability)", line, len(rec))
		}
		for len(rec) < 5 {
			rec = append(rec, "")
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		d := Host(rec[0])
		if d == "" || !strings.Contains(d, ".") {
			return nil, slant.Errorf(slant.EINVALID, "outlets file line %d: %q is not a domain", line, rec[0])
		}
		o, ok := out.get(d)
		if !ok {
			o = slant.Outlet{Domain: d}
		}
		o.Sources = append(append([]string(nil), o.Sources...), "user outlets file")
		if rec[1] != "" {
			o.Name = rec[1]
		}
		if f := strings.ToLower(rec[2]); f != "" {
			if f != "high" && f != "mixed" && f != "low" {
				return nil, slant.Errorf(slant.EINVALID, "outlets file line %d: factuality %q, want high, mixed or low", line, rec[2])
			}
			o.Factuality = f
		}
		if rec[3] != "" {
			o.Bias = strings.ToLower(rec[3])
		}
		if rec[4] != "" {
			v, err := strconv.ParseFloat(rec[4], 64)
			if err != nil || math.IsNaN(v) || v < -1 || v > 1 {
				return nil, slant.Errorf(slant.EINVALID, "outlets file line %d: reliability %q, want a number in [-1, 1]", line, rec[4])
			}
			o.Reliability = &v
		}
		out.m[d] = o
	}
}

func parseEmbedded(gz []byte) (*Table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("profiles.tsv.gz: %w", err)
	}
	t := &Table{m: make(map[string]slant.Outlet, 20000)}
	sc := bufio.NewScanner(zr)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			return nil, fmt.Errorf("profiles.tsv.gz line %d: %d fields, want 6", n, len(f))
		}
		o := slant.Outlet{Domain: f[0], Name: f[1], Factuality: f[2], Bias: f[3]}
		if f[4] != "" {
			v, err := strconv.ParseFloat(f[4], 64)
			if err != nil {
				return nil, fmt.Errorf("profiles.tsv.gz line %d: %w", n, err)
			}
			o.Reliability = &v
		}
		for _, c := range strings.Split(f[5], ",") {
			if c == "" {
				continue
			}
			if target, ok := strings.CutPrefix(c, "a:"); ok {
				o.Sources = append(o.Sources, "profile of "+target+" (same outlet, renamed domain)")
				continue
			}
			if s, ok := provenance[c]; ok {
				o.Sources = append(o.Sources, s)
			} else {
				o.Sources = append(o.Sources, c)
			}
		}
		t.m[o.Domain] = o
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("profiles.tsv.gz: %w", err)
	}
	return t, nil
}

func validHost(h string) bool {
	for _, r := range h {
		if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.' || r == '_') {
			return false
		}
	}
	return true
}
