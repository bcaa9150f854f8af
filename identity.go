package slant

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// TextHash is the hex SHA-256 of an article's text exactly as stored: the
// identity under which a store keeps one copy of a text, whatever its URL.
func TextHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// trackingParams are query parameters that identify a campaign or a click,
// not a page. Parameters starting with one of trackingPrefixes are dropped
// too.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gclsrc": true, "msclkid": true, "yclid": true,
	"igshid": true, "mc_cid": true, "mc_eid": true, "ref": true, "ref_src": true, "ref_url": true,
	"referrer": true, "source": true, "src": true, "cmpid": true, "cmp": true, "ito": true,
	"smid": true, "smtyp": true, "share": true, "via": true, "ocid": true, "tpcc": true,
	"_ga": true, "_gl": true, "rss": true, "outputtype": true, "s_cid": true, "wt.mc_id": true,
}

var trackingPrefixes = []string{"utm_", "utm-", "pk_", "mtm_", "hsa_", "at_", "__twitter", "ns_"}

// CanonicalURL returns the form of an article address under which two
// addresses are the same article: lower-case host, http upgraded to https,
// no www./m./amp./mobile. host prefix, no default port, no fragment, no
// tracking parameters (utm_*, fbclid, gclid, ref, ...), the remaining
// parameters sorted, no trailing slash, and a trailing /amp segment
// dropped. Stores key article versions on it and story grouping finds
// exact duplicates with it. It returns an EINVALID error for a string that
// is not an absolute http(s) URL.
func CanonicalURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return "", Errorf(EINVALID, "url %q: %v", raw, err)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", Errorf(EINVALID, "url %q: not an http(s) address", raw)
	}
	host := strings.Trim(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return "", Errorf(EINVALID, "url %q: no host", raw)
	}
	for _, p := range []string{"www.", "m.", "amp.", "mobile."} {
		if rest, ok := strings.CutPrefix(host, p); ok && strings.Contains(rest, ".") {
			host = rest
		}
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // an IPv6 literal needs its brackets back
	}
	if port := u.Port(); port != "" && port != "80" && port != "443" {
		host += ":" + port
	}
	path := u.EscapedPath()
	path = strings.TrimSuffix(path, "/amp")
	path = strings.TrimRight(path, "/")
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		lk := strings.ToLower(k)
		if trackingParams[lk] || hasAnyPrefix(lk, trackingPrefixes) {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("https://")
	b.WriteString(host)
	b.WriteString(path)
	if len(keys) > 0 {
		kept := url.Values{}
		for _, k := range keys {
			kept[k] = q[k]
		}
		b.WriteByte('?')
		b.WriteString(kept.Encode())
	}
	return b.String(), nil
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// VersionKey says which stored articles are versions of one another: the
// canonical URL, else (no usable URL) the path the article was read from.
// Articles from standard input or with neither have no key: each text
// stands alone.
func (a Article) VersionKey() string {
	if raw := strings.TrimSpace(a.URL); raw != "" {
		if c, err := CanonicalURL(raw); err == nil {
			return c
		}
		return "url:" + raw
	}
	if a.Source == "" || a.Source == "-" {
		return ""
	}
	return "source:" + a.Source
}

// Describe names the article in a one-line message: its URL, else its
// source, else its title.
func (a Article) Describe() string {
	switch {
	case a.URL != "":
		return a.URL
	case a.Source != "":
		return a.Source
	case a.Title != "":
		return fmt.Sprintf("%q", a.Title)
	}
	return "article"
}
