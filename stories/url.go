// Package stories finds duplicates and republished copies of articles,
// groups articles from many outlets into stories about one event, compares
// how outlets tell a story, and tracks narrative and technique trends per
// outlet and week.
package stories

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"github.com/slant-news/slant"
)

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

// NormalizeURL returns the canonical form of an article address used to
// detect exact duplicates: lower-case scheme and host, http upgraded to
// https, no www./m./amp. host prefix, no default port, no fragment, no
// tracking parameters (utm_*, fbclid, gclid, ref, ...), remaining
// parameters sorted, no trailing slash on the path, and a trailing /amp
// segment dropped. It returns an EINVALID error for a string that is not an
// absolute http(s) URL.
func NormalizeURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return "", slant.Errorf(slant.EINVALID, "url %q: %v", raw, err)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", slant.Errorf(slant.EINVALID, "url %q: not an http(s) address", raw)
	}
	host := strings.Trim(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return "", slant.Errorf(slant.EINVALID, "url %q: no host", raw)
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

// NormalizeText folds text for content hashing: lower case, letters and
// digits only, words separated by one space. Two texts that differ only in
// white space, punctuation, quote style or case normalise alike.
func NormalizeText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		// An apostrophe inside a word (don't, Kiev's) does not split it.
		if r == '\'' || r == '’' {
			continue
		}
		space = true
	}
	return b.String()
}

// ContentHash is the hex SHA-256 of NormalizeText(s): equal for exact
// duplicates that differ only in formatting.
func ContentHash(s string) string {
	h := sha256.Sum256([]byte(NormalizeText(s)))
	return hex.EncodeToString(h[:])
}
