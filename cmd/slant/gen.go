package main

import (
	"context"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// gen-corpus writes a synthetic corpus of short news articles for scale
// benchmarks (issue 6 item 7): the same seed always gives the same files.
// The articles are invented from the small vocabularies below; they exist to
// load the pipeline, not to be read.

func init() {
	register(&command{
		name:    "gen-corpus",
		usage:   "slant gen-corpus [--n 1000] [--seed 1] [--format html|txt] DIR",
		summary: "write a deterministic synthetic corpus of short articles (for scale benchmarks)",
		run:     runGenCorpus,
	})
}

func runGenCorpus(ctx context.Context, e *Env, args []string) error {
	fs := newFlags("gen-corpus", e.Stderr)
	n := fs.Int("n", 1000, "number of articles")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same corpus")
	format := fs.String("format", "html", "html (with canonical URL, outlet and date) or txt (title line and body)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("gen-corpus needs one output DIR")
	}
	if *n < 1 {
		return usageErrorf("--n must be at least 1, got %d", *n)
	}
	if *format != "html" && *format != "txt" {
		return usageErrorf("--format: want html or txt, not %q", *format)
	}
	written, err := writeCorpus(ctx, pos[0], *n, *seed, *format)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "wrote %d articles (%s) to %s\n", *n, humanBytes(written), pos[0])
	return nil
}

// writeCorpus writes n generated articles under dir, 1000 per
// subdirectory so that no directory grows huge, and returns the bytes of
// article text written.
func writeCorpus(ctx context.Context, dir string, n int, seed uint64, format string) (int, error) {
	g := newCorpusGen(seed, n)
	total := 0
	for i := 0; i < n; i++ {
		if i%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return total, err
			}
		}
		a := g.next()
		sub := filepath.Join(dir, fmt.Sprintf("%04d", i/1000))
		if i%1000 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				return total, fmt.Errorf("gen-corpus: %w", err)
			}
		}
		var data string
		name := filepath.Join(sub, fmt.Sprintf("a%07d.%s", i, format))
		if format == "html" {
			data = a.html()
		} else {
			data = a.title + "\n\n" + a.body
		}
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			return total, fmt.Errorf("gen-corpus: %w", err)
		}
		total += len(a.title) + len(a.body)
	}
	return total, nil
}

// Small vocabularies: invented places, people, bodies and outlets, and
// ordinary news words, so that texts have the mix of capitalised names,
// numbers, quotes and function words the analyzers see in real news.
var (
	genPlaces = []string{"Veloria", "Tesno", "Bresnik", "Lodva", "Karsk", "Orna Valley", "Mirelo", "Ostrava Bay",
		"Dunhallow", "Port Avis", "Kestrel Heights", "Salvane", "Upper Sel", "Gravemoor", "Lintsey", "Corvanne"}
	genFirst = []string{"Aurel", "Marta", "Ilse", "Tomas", "Viktor", "Nadia", "Oskar", "Lena", "Pavel", "Ruth",
		"Erik", "Sofia", "Jonas", "Mira", "Dmitri", "Clara"}
	genLast = []string{"Dunca", "Sand", "Halloway", "Brenner", "Kovac", "Ferrand", "Lindqvist", "Moravec",
		"Ostrander", "Petrov", "Quillon", "Rask", "Stavros", "Tennant", "Ulbrecht", "Varga"}
	genBodies = []string{"the Interior Ministry", "the regional council", "the Water Authority", "the Health Office",
		"the central bank", "the opposition Civic Bloc", "the National Assembly", "the port authority",
		"the teachers' union", "the Supreme Court", "the Red Lantern Society", "the Transport Ministry"}
	genRoles = []string{"minister", "mayor", "spokeswoman", "spokesman", "governor", "analyst", "director",
		"prosecutor", "chairwoman", "economist", "engineer", "resident"}
	genTopics = []struct{ event, keys string }{
		{"flood", "dam river water evacuation rescue villages levee rainfall"},
		{"strike", "workers wages union pickets talks factory pay contract"},
		{"election", "ballots voters turnout candidates campaign polling count"},
		{"fire", "blaze firefighters smoke hectares wind evacuation forest"},
		{"trial", "court verdict judge defence charges jury testimony"},
		{"budget", "spending deficit taxes revenue debt cuts pensions"},
		{"protest", "demonstrators square police march slogans crowd barricades"},
		{"outbreak", "cases hospital vaccine infections clinics doctors quarantine"},
		{"merger", "shares deal shareholders takeover regulators bid company"},
		{"bridge collapse", "bridge inspection traffic concrete engineers repairs span"},
	}
	genCommon = strings.Fields(`the a of to in and on for with at by from that said was were has have
		had will would could after before over about more than officials people city government local
		week day year morning night report statement according new also but not its their this after
		including since while during under against between early late two three several many some`)
	genLoaded = strings.Fields(`shameful disastrous heroic outrageous betrayal corrupt reckless brave
		scandalous catastrophic tireless so-called regime puppets traitors lies cover-up`)
	// genSyllables make the names that tell one event from another: a
	// town, the people in it and a word of its own ("the Vekarno levee"),
	// as real events each bring their own names.
	genSyllables = []string{"ka", "lo", "mi", "ren", "tus", "va", "dor", "el", "shi", "pra", "gon", "ul",
		"bez", "tri", "no", "sa", "vek", "ar", "qui", "zo", "han", "mel", "sto", "ri"}
	genOutlets = []string{"meridianwire.test", "velorianpatriot.test", "vnt-news.test", "truthbeacon.test",
		"ornacourier.test", "dailyledger.test", "harbourpost.test", "civicreport.test"}
)

// genArticle is one generated article.
type genArticle struct {
	title, body, url, outlet, author string
	published                        time.Time
}

func (a *genArticle) html() string {
	var b strings.Builder
	b.WriteString("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString(a.title))
	b.WriteString("</title>\n<link rel=\"canonical\" href=\"")
	b.WriteString(html.EscapeString(a.url))
	b.WriteString("\">\n<meta property=\"article:published_time\" content=\"")
	b.WriteString(a.published.Format(time.RFC3339))
	b.WriteString("\">\n<meta name=\"author\" content=\"")
	b.WriteString(html.EscapeString(a.author))
	b.WriteString("\"></head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article><h1>")
	b.WriteString(html.EscapeString(a.title))
	b.WriteString("</h1>\n")
	for _, p := range strings.Split(a.body, "\n") {
		if p != "" {
			b.WriteString("<p>")
			b.WriteString(html.EscapeString(p))
			b.WriteString("</p>\n")
		}
	}
	b.WriteString("</article><footer>Copyright " + a.outlet + "</footer></body></html>\n")
	return b.String()
}

// genEvent is a story that several outlets cover over a few days.
type genEvent struct {
	topic  int
	place  string
	people []string // "First Last"
	body   string
	start  time.Time
	number int
	// own are words of this event alone (a named site or project).
	own []string
}

// corpusGen produces articles about events: about one event per 8
// articles, each covered by several outlets within days, so story grouping
// has real work to do.
type corpusGen struct {
	rng    *rand.Rand
	events []genEvent
	i      int
}

func newCorpusGen(seed uint64, n int) *corpusGen {
	g := &corpusGen{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	base := time.Date(2025, 1, 1, 6, 0, 0, 0, time.UTC)
	nEvents := max(1, n/8)
	// Events spread over a span that grows with the corpus, so a large one
	// does not pile every event into the same week.
	spanHours := max(24*30, nEvents*2)
	for i := 0; i < nEvents; i++ {
		ev := genEvent{
			topic:  g.rng.IntN(len(genTopics)),
			place:  g.name(3),
			body:   genBodies[g.rng.IntN(len(genBodies))],
			start:  base.Add(time.Duration(g.rng.IntN(spanHours)) * time.Hour),
			number: 2 + g.rng.IntN(400),
		}
		for j := 0; j < 3; j++ {
			// Surnames are the event's own; the common first names and the
			// bodies are what events share.
			last := g.name(2 + j%2)
			ev.people = append(ev.people, genFirst[g.rng.IntN(len(genFirst))]+" "+last)
		}
		for j := 0; j < 2; j++ {
			ev.own = append(ev.own, strings.ToLower(g.name(3)))
		}
		g.events = append(g.events, ev)
	}
	return g
}

func (g *corpusGen) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// name makes a capitalised word of parts syllables.
func (g *corpusGen) name(parts int) string {
	var b strings.Builder
	for i := 0; i < parts; i++ {
		b.WriteString(genSyllables[g.rng.IntN(len(genSyllables))])
	}
	return capitalise(b.String())
}

// next returns the next article: an event, an outlet, a headline and four
// to seven paragraphs of sentences mixing event words, names, numbers,
// quotes and (for some outlets) loaded language.
func (g *corpusGen) next() genArticle {
	r := g.rng
	ev := &g.events[r.IntN(len(g.events))]
	top := genTopics[ev.topic]
	keys := append(strings.Fields(top.keys), ev.own...)
	oi := r.IntN(len(genOutlets))
	outlet := genOutlets[oi]
	loaded := oi%3 == 1 // a third of the outlets write in a loaded style
	a := genArticle{
		outlet:    outlet,
		published: ev.start.Add(time.Duration(r.IntN(72)) * time.Hour),
		url:       fmt.Sprintf("https://%s/news/%d/%s-%d", outlet, 2025, strings.ReplaceAll(top.event, " ", "-"), g.i),
	}
	g.i++
	a.author = g.pick(genFirst) + " " + g.pick(genLast)
	person := ev.people[r.IntN(len(ev.people))]
	switch r.IntN(3) {
	case 0:
		a.title = fmt.Sprintf("%s in %s: %d affected, %s says", capitalise(top.event), ev.place, ev.number, person)
	case 1:
		a.title = fmt.Sprintf("%s responds to %s %s as %s grows", capitalise(ev.body), ev.place, top.event, keys[r.IntN(len(keys))])
	default:
		a.title = fmt.Sprintf("%s %s: %s under pressure over %s", ev.place, top.event, person, keys[r.IntN(len(keys))])
	}
	if loaded {
		a.title += " — " + capitalise(g.pick(genLoaded)) + "!"
	}
	var b strings.Builder
	paras := 4 + r.IntN(4)
	for p := 0; p < paras; p++ {
		sents := 2 + r.IntN(3)
		for s := 0; s < sents; s++ {
			if s > 0 {
				b.WriteByte(' ')
			}
			g.sentence(&b, ev, keys, loaded)
		}
		b.WriteByte('\n')
	}
	a.body = b.String()
	return a
}

// sentence writes one sentence: a quote with attribution, a fact with a
// number and a date, or ordinary prose.
func (g *corpusGen) sentence(b *strings.Builder, ev *genEvent, keys []string, loaded bool) {
	r := g.rng
	words := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			switch x := r.IntN(20); {
			case x < 2:
				ws[i] = ev.own[r.IntN(len(ev.own))]
			case x < 5:
				ws[i] = keys[r.IntN(len(keys))]
			case x == 5 && loaded:
				ws[i] = g.pick(genLoaded)
			default:
				ws[i] = g.pick(genCommon)
			}
		}
		return strings.Join(ws, " ")
	}
	person := ev.people[r.IntN(len(ev.people))]
	switch r.IntN(6) {
	case 0:
		fmt.Fprintf(b, "\u201c%s,\u201d said %s, the %s of %s.", capitalise(words(6+r.IntN(8))), person, g.pick(genRoles), ev.place)
	case 1:
		fmt.Fprintf(b, "According to %s, %d people were %s on %s.", ev.body, ev.number+r.IntN(20),
			g.pick([]string{"affected", "evacuated", "detained", "injured", "counted"}), ev.start.Format("2 January"))
	case 2:
		fmt.Fprintf(b, "%s told reporters in %s that %s.", person, ev.place, words(8+r.IntN(8)))
	case 3:
		// Background that names a well-known place, as real reports
		// mention the capital or the region beside the event's own town.
		fmt.Fprintf(b, "Elsewhere in %s, %s.", g.pick(genPlaces), words(8+r.IntN(8)))
	default:
		fmt.Fprintf(b, "%s %s.", capitalise(words(10+r.IntN(12))), ev.place)
	}
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
