package ingest

import (
	"bytes"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/text"
)

// ParseText reads a SemEval-style or plain text article. name is the path the
// data came from ("-" for standard input); it gives the article its ID and
// Source. Text is the whole input decoded to UTF-8 — title line included, so
// that SemEval offsets into the file hold — and TitleSpan marks the title
// line inside it when the first line looks like a headline (see Title).
// Binary input is rejected with a slant.EINVALID error.
func ParseText(name string, data []byte) (slant.Article, error) {
	s, err := decode(name, data)
	if err != nil {
		return slant.Article{}, err
	}
	a := slant.Article{ID: idFromName(name), Text: s, Source: name}
	if sp, ok := Title(s); ok {
		a.TitleSpan = sp
		a.Title = s[sp.Start:sp.End]
	}
	return a, nil
}

// idFromName turns a path into an article id: the base name without its
// extension, and without the "article" prefix of SemEval-2023 file names
// (article123.txt -> "123"). Standard input is "stdin".
func idFromName(name string) string {
	if name == "-" || name == "" {
		return "stdin"
	}
	base := filepath.Base(name)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	if rest, ok := strings.CutPrefix(base, "article"); ok && rest != "" && allDigits(rest) {
		return rest
	}
	if base == "" {
		return filepath.Base(name)
	}
	return base
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// decode returns data as UTF-8 text.
//
//   - UTF-16 with a byte order mark is decoded and the mark dropped, as
//     Python's "utf-16" codec does, so code point offsets agree with tools
//     that read the file that way.
//   - Valid UTF-8 is kept byte for byte, a UTF-8 byte order mark included:
//     Python's "utf-8" codec keeps it as U+FEFF too, so SemEval offsets into
//     such a file (two of the SemEval-2023 training articles start with one)
//     count it. Title skips it when looking for the headline.
//   - UTF-16 without a mark is recognised by its NUL bytes (guessUTF16).
//   - UTF-8 with a few invalid bytes (more valid multi-byte sequences than
//     invalid bytes) keeps its UTF-8 and decodes each invalid byte as
//     Windows-1252.
//   - Anything else is taken as Windows-1252 (a superset of the printable
//     part of Latin-1), the usual encoding of legacy Western text.
//
// Input with NUL bytes or many control characters is rejected as binary.
func decode(name string, data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		if len(data)%2 != 0 {
			return "", slant.Errorf(slant.EINVALID, "%s: UTF-16 text with an odd number of bytes, truncated or not text", name)
		}
		dec := xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", slant.Errorf(slant.EINVALID, "%s: invalid UTF-16 text: %v", name, err)
		}
		if binary(out) {
			return "", binaryErr(name)
		}
		return string(out), nil
	case guessUTF16(data) != nil:
		out, err := guessUTF16(data).NewDecoder().Bytes(data)
		if err != nil || binary(out) {
			return "", binaryErr(name)
		}
		return string(out), nil
	case utf8.Valid(data):
		if binary(data) {
			return "", binaryErr(name)
		}
		return string(data), nil
	default:
		// Check the raw bytes first: decoding would turn every byte into a
		// printable-looking rune and hide that the input is binary.
		if binary(data) {
			return "", binaryErr(name)
		}
		if mostlyUTF8(data) {
			return decodeMixed(data), nil
		}
		out, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return "", slant.Errorf(slant.EINVALID, "%s: text is neither UTF-8 nor Windows-1252: %v", name, err)
		}
		return string(out), nil
	}
}

// mostlyUTF8 reports whether data, which is not valid UTF-8, still holds
// more valid multi-byte UTF-8 sequences than invalid bytes: a UTF-8 article
// with a stray Latin-1 byte (a pasted "Caf\xe9"). Decoding all of it as
// Windows-1252 would turn every curly quote and dash into mojibake.
func mostlyUTF8(data []byte) bool {
	var multi, bad int
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
		} else {
			multi++
		}
		i += size
	}
	return multi > bad
}

// decodeMixed keeps the valid UTF-8 sequences of data and decodes each
// invalid byte as Windows-1252.
func decodeMixed(data []byte) string {
	dec := charmap.Windows1252
	var b strings.Builder
	b.Grow(len(data) + len(data)/8)
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			r = dec.DecodeByte(data[i])
		}
		b.WriteRune(r)
		i += size
	}
	return b.String()
}

// guessUTF16 recognises UTF-16 saved without a byte order mark, as some
// Windows tools do, from its tell-tale pattern: in text that is mostly
// Latin script, nearly every second byte of the first 256 is NUL and
// nearly none of the others. It returns the decoding to use, or nil.
func guessUTF16(b []byte) encoding.Encoding {
	if len(b) < 4 || len(b)%2 != 0 {
		return nil
	}
	n := min(len(b), 256)
	var zeroEven, zeroOdd int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			zeroEven++
		}
		if b[i+1] == 0 {
			zeroOdd++
		}
	}
	pairs := n / 2
	// Allow a few non-Latin characters (curly quotes have a non-NUL high
	// byte) but demand the pattern on nine pairs in ten.
	switch {
	case zeroOdd*10 >= pairs*9 && zeroEven*20 <= pairs:
		return xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM)
	case zeroEven*10 >= pairs*9 && zeroOdd*20 <= pairs:
		return xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM)
	}
	return nil
}

func binaryErr(name string) error {
	return slant.Errorf(slant.EINVALID, "%s: binary file, not an article", name)
}

// binary reports whether b looks like binary data rather than text: it holds
// a NUL byte, or more than 1 in 50 of its bytes are C0 control characters
// other than tab, newline, vertical tab, form feed, carriage return and
// escape. Text files hold a stray control byte at most.
func binary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range b {
		if c < 0x20 {
			switch c {
			case '\t', '\n', '\v', '\f', '\r', 0x1b:
			default:
				ctl++
			}
		}
	}
	return ctl > 0 && ctl*50 > len(b)
}

// looksLikeHTML reports whether data starts (after a byte order mark and
// white space) like an HTML document.
func looksLikeHTML(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	data = bytes.TrimLeft(data, " \t\r\n\f")
	if len(data) > 512 {
		data = data[:512]
	}
	l := bytes.ToLower(data)
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body"} {
		if bytes.HasPrefix(l, []byte(p)) {
			return true
		}
	}
	return false
}

// looksLikeFeed reports whether data is an RSS, RDF or Atom feed: an XML
// document whose first element (after the declaration, comments and
// processing instructions) is rss, rdf:RDF or feed.
func looksLikeFeed(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if len(data) > 2048 {
		data = data[:2048]
	}
	for {
		data = bytes.TrimLeft(data, " \t\r\n\f")
		switch {
		case bytes.HasPrefix(data, []byte("<?")):
			i := bytes.Index(data, []byte("?>"))
			if i < 0 {
				return false
			}
			data = data[i+2:]
		case bytes.HasPrefix(data, []byte("<!--")):
			i := bytes.Index(data, []byte("-->"))
			if i < 0 {
				return false
			}
			data = data[i+3:]
		default:
			l := bytes.ToLower(data)
			for _, p := range []string{"<rss", "<rdf:rdf", "<feed"} {
				if bytes.HasPrefix(l, []byte(p)) && len(l) > len(p) && (l[len(p)] == ' ' || l[len(p)] == '>' || l[len(p)] == '\n' || l[len(p)] == '\t' || l[len(p)] == '\r') {
					return true
				}
			}
			return false
		}
	}
}

// Title limits, measured on the SemEval training articles, where the first
// line is always the headline (TestTitleSemEval re-measures it):
// headlines without final punctuation run to 39 words (scrapes glue a
// subtitle on), headlines ending in . ! ? to 25.
const (
	maxTitleWords      = 40
	maxPunctTitleWords = 25
)

// Title finds the headline of a plain-text article: the first line, when it
// reads like one. SemEval files put the title on the first line and a blank
// line after it, but some have no title (the text opens with the lede) and
// some no blank line, so the line is judged on its own:
//
//   - it must be followed by more text (a one-line text is all body);
//   - a line ending in "," ";" or continued on the next line in lower case
//     (hard-wrapped prose) is not a title;
//   - a line ending in sentence punctuation (. ! ? …, before closing quotes)
//     is a title only when short (at most 25 words) and, for ".", followed
//     by a blank line: a one-sentence lede of 30 words is body;
//   - any other line of at most 40 words is a title;
//   - a Markdown heading ("# Title") is a title, without its marker.
//
// A leading UTF-8 byte order mark and surrounding white space are left out
// of the span. The span is into s, half-open, and s[sp.Start:sp.End] is the
// title.
func Title(s string) (slant.Span, bool) {
	nl := strings.IndexByte(s, '\n')
	if nl < 0 {
		return slant.Span{}, false
	}
	sp := text.Trim(s, slant.Span{Start: 0, End: nl})
	if sp.Len() == 0 {
		return slant.Span{}, false
	}
	rest := s[nl+1:]
	next := rest
	if i := strings.IndexByte(next, '\n'); i >= 0 {
		next = next[:i]
	}
	next = strings.TrimSpace(next)
	nextBlank := next == ""
	if nextBlank && strings.TrimSpace(rest) == "" {
		return slant.Span{}, false
	}
	line := s[sp.Start:sp.End]
	// A carriage return or other control character inside the line means
	// old Mac line ends or garbage, not a headline.
	if strings.ContainsFunc(line, func(r rune) bool { return r < 0x20 && r != '\t' }) {
		return slant.Span{}, false
	}

	if strings.HasPrefix(line, "#") {
		h := strings.TrimLeft(line, "#")
		if len(line)-len(h) <= 6 && strings.HasPrefix(h, " ") {
			hs := text.Trim(s, slant.Span{Start: sp.End - len(h), End: sp.End})
			if hs.Len() > 0 {
				return hs, true
			}
		}
	}

	words := len(strings.Fields(line))
	last := lastSignificant(line)
	if last == ',' || last == ';' {
		return slant.Span{}, false
	}
	if !nextBlank {
		if r, _ := utf8.DecodeRuneInString(next); unicode.IsLower(r) {
			return slant.Span{}, false
		}
	}
	var ok bool
	switch last {
	case '.', '…':
		ok = nextBlank && words <= maxPunctTitleWords
	case '!', '?':
		ok = words <= maxPunctTitleWords
	default:
		ok = words <= maxTitleWords
	}
	if !ok {
		return slant.Span{}, false
	}
	return sp, true
}

// lastSignificant returns the last rune of line that is not a closing quote
// or bracket, so that `He said "no."` ends in '.'.
func lastSignificant(line string) rune {
	for len(line) > 0 {
		r, size := utf8.DecodeLastRuneInString(line)
		switch r {
		case '"', '\'', '’', '”', '»', '›', ')', ']', '*', '_':
			line = line[:len(line)-size]
			continue
		}
		return r
	}
	return 0
}
