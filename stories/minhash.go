package stories

import (
	"github.com/slant-news/slant"
	"math"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"
)

// Shingle and signature sizes. They are fixed so that signatures computed
// in different runs (and stored) stay comparable.
const (
	// ShingleSize is the number of consecutive words in a shingle.
	ShingleSize = 5
	// SignatureSize is the number of MinHash values in a Signature.
	SignatureSize = 128
	lshBands      = 32
	lshRows       = SignatureSize / lshBands
)

// seeds are the fixed per-hash seeds of the MinHash family (splitmix64 of
// the hash's index).
var seeds = func() (s [SignatureSize]uint64) {
	x := uint64(0x5eed_51a7)
	for i := range s {
		x += 0x9e3779b97f4a7c15
		s[i] = mix64(x)
	}
	return s
}()

// mix64 is the splitmix64 finaliser: a fast, well-mixed 64-bit hash of x.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Signature is the MinHash sketch of a text's set of word shingles.
// Shingles is the number of distinct shingles it summarises (0 for a text
// without words).
type Signature struct {
	Min      [SignatureSize]uint32
	Shingles int
}

// wordHashes appends the FNV-1a hash of every lower-cased word (letters and
// digits, inner apostrophes dropped) of s to dst.
func wordHashes(dst []uint64, s string) []uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	in := false
	for i := 0; i < len(s); {
		c := s[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case c < utf8.RuneSelf && ('a' <= c && c <= 'z' || '0' <= c && c <= '9'):
			h = (h ^ uint64(c)) * prime
			in = true
		case c < utf8.RuneSelf && 'A' <= c && c <= 'Z':
			h = (h ^ uint64(c+32)) * prime
			in = true
		case c >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			r = unicode.ToLower(r)
			for r > 0 {
				h = (h ^ uint64(r&0xff)) * prime
				r >>= 8
			}
			in = true
		case r == '\'' || r == '’':
			// inside a word: skip, so "Kiev's" and "Kiev’s" hash alike
		default:
			if in {
				dst = append(dst, h)
				h, in = offset, false
			}
		}
	}
	if in {
		dst = append(dst, h)
	}
	return dst
}

// NewSignature computes the MinHash signature of the ShingleSize-word
// shingles of text (lower-cased words; punctuation and white space do not
// matter). A text shorter than a shingle is one shingle.
func NewSignature(text string) Signature {
	return signatureOf(wordHashes(make([]uint64, 0, len(text)/5+1), text))
}

func signatureOf(words []uint64) Signature {
	sig, _ := signatureInto(words, nil)
	return sig
}

// signatureInto is signatureOf with a reusable shingle buffer, returned
// for the next call.
func signatureInto(words []uint64, buf []uint64) (Signature, []uint64) {
	var sig Signature
	for i := range sig.Min {
		sig.Min[i] = math.MaxUint32
	}
	if len(words) == 0 {
		return sig, buf
	}
	n := len(words) - ShingleSize + 1
	if n < 1 {
		n = 1
	}
	// Distinct shingles by sorting: cheaper than a map for a few hundred.
	shingles := slices.Grow(buf[:0], n)[:n]
	for i := 0; i < n; i++ {
		var h uint64
		for j := i; j < i+ShingleSize && j < len(words); j++ {
			h = mix64(h*0x100000001b3 + words[j])
		}
		shingles[i] = h
	}
	slices.Sort(shingles)
	shingles = slices.Compact(shingles)
	// The k-th hash is h1 + k·h2 (Kirsch and Mitzenmacher): two mixes per
	// shingle instead of SignatureSize, with seeds fixing h1 and h2.
	for _, h := range shingles {
		h1 := mix64(h ^ seeds[0])
		h2 := mix64(h^seeds[1]) | 1
		for k := range sig.Min {
			v := uint32(h1 >> 32)
			if v < sig.Min[k] {
				sig.Min[k] = v
			}
			h1 += h2
		}
	}
	sig.Shingles = len(shingles)
	return sig, shingles
}

// Jaccard estimates the Jaccard similarity of the two shingle sets: the
// fraction of signature positions that agree.
func (s *Signature) Jaccard(o *Signature) float64 {
	if s.Shingles == 0 || o.Shingles == 0 {
		return 0
	}
	eq := 0
	for i := range s.Min {
		if s.Min[i] == o.Min[i] {
			eq++
		}
	}
	return float64(eq) / SignatureSize
}

// Containment estimates the fraction of s's shingles that o also has, from
// the Jaccard estimate and the set sizes: |A∩B| = J·(|A|+|B|)/(1+J).
// A copy of s with a footer added contains nearly all of s.
func (s *Signature) Containment(o *Signature) float64 {
	j := s.Jaccard(o)
	if j == 0 {
		return 0
	}
	inter := j * float64(s.Shingles+o.Shingles) / (1 + j)
	return min(1, inter/float64(s.Shingles))
}

// Copy kinds.
const (
	CopyURL         = "same-url"    // the same normalised URL
	CopyExact       = "exact"       // the same normalised text
	CopyNear        = "near"        // nearly the same text (Jaccard ≥ NearJaccard)
	CopyRepublished = "republished" // one text contains nearly all of the other
)

// Link says that article ID is a copy of article Original, the earliest
// version known.
type Link struct {
	ID       string `json:"id"`
	Original string `json:"original"`
	Kind     string `json:"kind"`
	// Jaccard is the estimated resemblance of the two texts' shingle sets.
	Jaccard float64 `json:"jaccard"`
	// Shared is the estimated fraction of the shorter text found in the
	// longer one.
	Shared float64 `json:"shared"`
}

// DedupOptions tune the Deduper. Zero fields take the defaults.
type DedupOptions struct {
	// NearJaccard is the resemblance from which two texts are the same
	// (default 0.8).
	NearJaccard float64
	// MinShared is the fraction of the shorter text that must occur in the
	// longer one for a republished copy (default 0.8).
	MinShared float64
	// MinShingles is the smallest text (in shingles) that can be a
	// republished part of another (default 20), so that a one-line brief is
	// not a "copy" of every article quoting it.
	MinShingles int
	// BucketScan bounds how many earlier articles of one LSH bucket are
	// compared (default 64), which keeps boilerplate shared by thousands of
	// pages from making each addition quadratic.
	BucketScan int
}

func (o *DedupOptions) defaults() {
	if o.NearJaccard == 0 {
		o.NearJaccard = 0.8
	}
	if o.MinShared == 0 {
		o.MinShared = 0.8
	}
	if o.MinShingles == 0 {
		o.MinShingles = 20
	}
	if o.BucketScan == 0 {
		o.BucketScan = 64
	}
}

// DedupDoc is what the Deduper needs of an article.
type DedupDoc struct {
	ID        string
	URL       string
	Text      string
	Published time.Time
}

type dedupEntry struct {
	id        string
	published time.Time
	order     int
	sig       Signature
	root      int32 // index of the earliest version of this text
	link      Link  // valid when root != own index
}

// Deduper finds exact duplicates (normalised URL, content hash) and near
// duplicates or republished copies (MinHash with LSH banding) incrementally.
// It is not safe for concurrent use.
type Deduper struct {
	opts    DedupOptions
	entries []dedupEntry
	byID    map[string]int32
	byURL   map[string]int32
	byHash  map[string]int32
	// bucket maps an LSH band key to the latest entry in it; next chains
	// each (entry, band) to the previous entry of the same bucket.
	bucket map[uint64]int32
	next   []int32
}

// NewDeduper returns an empty Deduper.
func NewDeduper(opts DedupOptions) *Deduper {
	opts.defaults()
	return &Deduper{
		opts:   opts,
		byID:   map[string]int32{},
		byURL:  map[string]int32{},
		byHash: map[string]int32{},
		bucket: map[uint64]int32{},
	}
}

// earlier orders versions: by publication time (unknown counts as latest),
// then by the order they were added.
func earlier(a, b *dedupEntry) bool {
	switch {
	case a.published.IsZero() != b.published.IsZero():
		return !a.published.IsZero()
	case !a.published.Equal(b.published):
		return a.published.Before(b.published)
	}
	return a.order < b.order
}

// Add records doc and returns the links it creates: doc as a copy of an
// earlier version, or, when doc is older than versions already added, those
// versions re-linked to doc. The returned links are the current state for
// the ids they name; nil when doc is new.
func (d *Deduper) Add(doc DedupDoc) []Link {
	wh := wordHashes(nil, doc.Text)
	return d.add(doc, signatureOf(wh), wordsDigest(wh))
}

func (d *Deduper) add(doc DedupDoc, sig Signature, hash string) []Link {
	idx := int32(len(d.entries))
	d.entries = append(d.entries, dedupEntry{id: doc.ID, published: doc.Published, order: int(idx), sig: sig, root: idx})
	e := &d.entries[idx]
	d.byID[doc.ID] = idx

	best := int32(-1)
	var bestLink Link
	if doc.URL != "" {
		if u, err := slant.CanonicalURL(doc.URL); err == nil {
			if j, ok := d.byURL[u]; ok {
				best, bestLink = j, Link{Kind: CopyURL, Jaccard: sig.Jaccard(&d.entries[j].sig), Shared: 1}
			} else {
				d.byURL[u] = idx
			}
		}
	}
	if best < 0 && sig.Shingles > 0 {
		if j, ok := d.byHash[hash]; ok {
			best, bestLink = j, Link{Kind: CopyExact, Jaccard: 1, Shared: 1}
		} else {
			d.byHash[hash] = idx
		}
	}
	// LSH: every band is a bucket key; earlier entries in a bucket are
	// candidates. Bands are inserted even for exact copies so later near
	// copies find the group.
	seen := map[int32]bool{}
	bestScore := 0.0
	for b := 0; b < lshBands; b++ {
		key := uint64(b+1) * 0x9e3779b97f4a7c15
		for r := 0; r < lshRows; r++ {
			key = mix64(key ^ uint64(sig.Min[b*lshRows+r]))
		}
		prev, ok := d.bucket[key]
		if !ok {
			prev = -1
		}
		d.bucket[key] = idx
		d.next = append(d.next, prev)
		if sig.Shingles == 0 || best >= 0 && bestLink.Kind != CopyRepublished && bestLink.Kind != CopyNear {
			continue
		}
		for scanned := 0; prev >= 0 && scanned < d.opts.BucketScan; scanned++ {
			c := prev
			prev = d.next[int(c)*lshBands+b]
			if seen[c] {
				continue
			}
			seen[c] = true
			o := &d.entries[c]
			j := sig.Jaccard(&o.sig)
			small, large := &sig, &o.sig
			if o.sig.Shingles < sig.Shingles {
				small, large = large, small
			}
			shared := small.Containment(large)
			kind := ""
			switch {
			case j >= d.opts.NearJaccard:
				kind = CopyNear
			case shared >= d.opts.MinShared && small.Shingles >= d.opts.MinShingles:
				kind = CopyRepublished
			default:
				continue
			}
			if score := j + shared; score > bestScore {
				bestScore, best = score, c
				bestLink = Link{Kind: kind, Jaccard: j, Shared: shared}
			}
		}
	}
	if best < 0 {
		return nil
	}
	// Link to the root of the group found, keeping one earliest version
	// per group.
	root := d.entries[best].root
	e = &d.entries[idx]
	if earlier(&d.entries[root], e) {
		e.root = root
		bestLink.ID, bestLink.Original = e.id, d.entries[root].id
		e.link = bestLink
		return []Link{bestLink}
	}
	// doc predates the group: it becomes the root of every member.
	var out []Link
	for i := range d.entries[:idx] {
		m := &d.entries[i]
		if m.root != root {
			continue
		}
		m.root = idx
		l := bestLink
		if int32(i) != root {
			l = m.link
		}
		l.ID, l.Original = m.id, e.id
		m.link = l
		out = append(out, l)
	}
	return out
}

// Original returns the id of the earliest known version of id's text, and
// false when id was not added.
func (d *Deduper) Original(id string) (string, bool) {
	i, ok := d.byID[id]
	if !ok {
		return "", false
	}
	return d.entries[d.entries[i].root].id, true
}

// Links returns the current link of every copy added, in the order added.
func (d *Deduper) Links() []Link {
	var out []Link
	for i := range d.entries {
		if e := &d.entries[i]; e.root != int32(i) {
			out = append(out, e.link)
		}
	}
	return out
}
