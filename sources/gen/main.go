// Command gen compiles the outlet profile table embedded by package sources
// (profiles.tsv.gz) from the public lists in ../shared/data/source-profiles.
//
// Run it from the sources directory with `go generate` or from the
// repository root with
//
//	go run ./sources/gen -data ../shared/data/source-profiles -out sources/profiles.tsv.gz
//
// The output is deterministic: the same inputs give the same bytes.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	data := flag.String("data", filepath.Join("..", "..", "shared", "data", "source-profiles"), "source-profiles directory")
	out := flag.String("out", "profiles.tsv.gz", "output file")
	flag.Parse()
	if err := run(*data, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// profile is one output row. Provenance codes are decoded by package sources.
type profile struct {
	name, fact, bias string
	rel              float64
	hasRel           bool
	prov             []string
}

func (p *profile) addProv(code string) {
	for _, c := range p.prov {
		if c == code {
			return
		}
	}
	p.prov = append(p.prov, code)
}

// aliases maps a domain absent from every list to the domain whose profile
// it shares, with the reason. Only renames of the same outlet belong here.
var aliases = map[string]string{
	// Sputnik's English site moved from sputniknews.com to sputnikglobe.com
	// in 2023; the lists predate the move.
	"sputnikglobe.com": "sputniknews.com",
}

func run(dir, out string) error {
	profiles := map[string]*profile{}
	get := func(d string) *profile {
		p := profiles[d]
		if p == nil {
			p = &profile{}
			profiles[d] = p
		}
		return p
	}
	burd := filepath.Join(dir, "idiap-burdisso2024")

	// 1. MBFC as scraped by Burdisso et al. (2024): the newest factuality
	// and bias labels, so they take precedence over Baly et al.
	if err := readCSV(filepath.Join(burd, "golden_truth", "mbfc", "mbfc.csv"), func(rec map[string]string) {
		d := domainOf(rec["source"])
		if d == "" {
			return
		}
		p := get(d)
		if f := factuality(rec["factual_reporting"]); f != "" && p.fact == "" {
			p.fact = f
			p.addProv("m")
		}
		if b := bias(rec["bias"]); b != "" && p.bias == "" {
			p.bias = b
			p.addProv("m")
		}
	}); err != nil {
		return err
	}
	// 2. Baly et al. 2020 then 2018 fill what MBFC 2024 lacks.
	for _, v := range []struct{ path, code string }{
		{filepath.Join(dir, "baly2020-acl2020", "corpus.tsv"), "b20"},
		{filepath.Join(dir, "baly2018-emnlp18", "corpus.tsv"), "b18"},
	} {
		if err := readTSV(v.path, func(rec map[string]string) {
			d := domainOf(rec["source_url"])
			if d == "" {
				return
			}
			p := get(d)
			if f := factuality(rec["fact"]); f != "" && p.fact == "" {
				p.fact = f
				p.addProv(v.code)
			}
			if b := bias(rec["bias"]); b != "" && p.bias == "" {
				p.bias = b
				p.addProv(v.code)
			}
			if n := nameFromSlug(rec["ref"]); p.name == "" && n != "" {
				p.name = n
				p.addProv(v.code)
			}
		}); err != nil {
			return err
		}
	}
	// 3. Names from NELA-GT-2018 (better than MBFC page slugs).
	if err := readCSV(filepath.Join(burd, "golden_truth", "nela-gt", "labels_nela_gt+domain(2018).csv"), func(rec map[string]string) {
		d := domainOf(rec["domain"])
		if d == "" || strings.TrimSpace(rec["Source"]) == "" {
			return
		}
		p := get(d)
		p.name = strings.TrimSpace(rec["Source"])
		p.addProv("n")
	}); err != nil {
		return err
	}
	// 4. Reliability: the p+fp-average score Burdisso et al. recommend.
	scores, err := readScores(filepath.Join(burd, "reliability_scores.json"))
	if err != nil {
		return err
	}
	for d, s := range scores {
		d = domainOf(d)
		if d == "" {
			continue
		}
		p := get(d)
		p.rel, p.hasRel = s, true
		p.addProv("r")
	}
	// 5. The golden-truth label (-1, 0, 1) where no score exists.
	if err := readCSV(filepath.Join(burd, "golden_truth", "golden_truth_dataset.csv"), func(rec map[string]string) {
		d := domainOf(rec["domain"])
		v, err := strconv.ParseFloat(strings.TrimSpace(rec["reliability_label"]), 64)
		if d == "" || err != nil {
			return
		}
		p := get(d)
		if !p.hasRel {
			// Wikipedia's "deprecated" is -2 in this file; the scale of
			// slant.Outlet.Reliability stops at -1.
			p.rel, p.hasRel = max(-1, min(1, v)), true
			p.addProv("g")
		}
	}); err != nil {
		return err
	}
	for alias, target := range aliases {
		if _, ok := profiles[alias]; ok {
			continue
		}
		t, ok := profiles[target]
		if !ok {
			return fmt.Errorf("alias %s: %s is not in the lists", alias, target)
		}
		c := *t
		c.prov = append(append([]string(nil), t.prov...), "a:"+target)
		profiles[alias] = &c
	}
	return write(out, profiles)
}

func write(out string, profiles map[string]*profile) error {
	domains := make([]string, 0, len(profiles))
	for d, p := range profiles {
		if p.fact == "" && p.bias == "" && !p.hasRel {
			continue
		}
		domains = append(domains, d)
	}
	sort.Strings(domains)
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	fmt.Fprintln(bw, "#domain\tname\tfactuality\tbias\treliability\tprovenance")
	for _, d := range domains {
		p := profiles[d]
		rel := ""
		if p.hasRel {
			rel = strconv.FormatFloat(math.Round(p.rel*1000)/1000, 'f', -1, 64)
		}
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\n", d, clean(p.name), p.fact, p.bias, rel, strings.Join(p.prov, ","))
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gen: wrote %d outlets to %s\n", len(domains), out)
	return nil
}

func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// domainOf turns "https://www.rt.com/news/" or "WWW.RT.COM" into "rt.com".
func domainOf(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	h := strings.TrimSuffix(u.Hostname(), ".")
	for _, p := range []string{"www.", "m.", "amp."} {
		h = strings.TrimPrefix(h, p)
	}
	if !strings.Contains(h, ".") {
		return ""
	}
	return h
}

// factuality maps MBFC's six-step scale to Baly et al.'s three steps.
// "mostly factual" sits below "high", so it counts as mixed.
func factuality(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "very high", "high":
		return "high"
	case "mostly factual", "mixed":
		return "mixed"
	case "low", "very low":
		return "low"
	}
	return ""
}

// bias normalises the many spellings of MBFC bias labels to a lean
// (extreme-left ... extreme-right, center) optionally followed by a tag
// (conspiracy-pseudoscience, pseudoscience, conspiracy, pro-science).
func bias(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s == "not rated" || s == "unrated" {
		return ""
	}
	s = strings.NewReplacer("–", " ", "/", "-", "=", "-", "psuedo", "pseudo", "pseusdo", "pseudo", "(", " ", ")", " ").Replace(s)
	tag := ""
	switch {
	case strings.Contains(s, "conspiracy") && strings.Contains(s, "pseudo"):
		tag = "conspiracy-pseudoscience"
	case strings.Contains(s, "pro-science"):
		tag = "pro-science"
	case strings.Contains(s, "pseudo"):
		tag = "pseudoscience"
	case strings.Contains(s, "conspiracy"):
		tag = "conspiracy"
	}
	lean := ""
	norm := strings.ReplaceAll(s, "-", " ")
	switch {
	case strings.Contains(norm, "least biased"), strings.HasPrefix(norm, "center"):
		lean = "center"
	case strings.Contains(norm, "extreme left"), strings.Contains(norm, "far left"):
		lean = "extreme-left"
	case strings.Contains(norm, "extreme right"), strings.Contains(norm, "far right"):
		lean = "extreme-right"
	case strings.Contains(norm, "left center"), strings.Contains(norm, "center left"), strings.Contains(norm, "left leaning"):
		lean = "left-center"
	case strings.Contains(norm, "right center"), strings.Contains(norm, "center right"):
		lean = "right-center"
	case strings.HasPrefix(norm, "left"):
		lean = "left"
	case strings.HasPrefix(norm, "right"):
		lean = "right"
	}
	switch {
	case lean != "" && tag != "":
		return lean + " " + tag
	case lean != "":
		return lean
	}
	return tag
}

// nameFromSlug derives a display name from an MBFC page address such as
// http://mediabiasfactcheck.com/breaking-defense/ ("Breaking Defense").
func nameFromSlug(ref string) string {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return ""
	}
	slug := strings.Trim(u.Path, "/")
	if slug == "" || strings.Contains(slug, "/") {
		return ""
	}
	words := strings.Split(slug, "-")
	for i, w := range words {
		if w == "" {
			continue
		}
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

func readCSV(path string, fn func(map[string]string)) error {
	return readTable(path, ',', fn)
}

func readTSV(path string, fn func(map[string]string)) error {
	return readTable(path, '\t', fn)
}

func readTable(path string, sep rune, fn func(map[string]string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		m := make(map[string]string, len(header))
		for i, h := range header {
			if i < len(rec) {
				m[h] = rec[i]
			}
		}
		fn(m)
	}
}

func readScores(path string) (map[string]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string]map[string]float64
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	out := make(map[string]float64, len(raw))
	for d, v := range raw {
		if s, ok := v["p+fp-average"]; ok && !math.IsNaN(s) {
			out[d] = s
		}
	}
	return out, nil
}
