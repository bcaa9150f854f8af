package stories

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/slant-news/slant"
)

// Item is an article as story grouping sees it.
type Item struct {
	ID     string
	Title  string
	Text   string
	URL    string
	Outlet string
	// Published is zero when unknown; such articles are grouped by content
	// alone, with no time window.
	Published time.Time
	// Entities are canonical entity names from an entity analyzer, nil
	// when none ran; runs of capitalised words in the text count as
	// entities either way.
	Entities []string
}

// ItemFromReport builds an Item from an analysed article.
func ItemFromReport(r *slant.Report) Item {
	a := &r.Article
	return Item{ID: a.ID, Title: a.Title, Text: a.Text, URL: a.URL, Outlet: a.Outlet, Published: a.Published, Entities: entityNames(r)}
}

// Options tune grouping. Zero fields take the defaults.
type Options struct {
	// Window is how far apart in time two articles of one story may be
	// (default 7 days), measured from the story's first and last article.
	Window time.Duration
	// Threshold is the similarity from which an article joins a story
	// (default 0.15).
	Threshold float64
	// RelatedThreshold is the similarity from which a new story records
	// the best existing one as related (default 0.1).
	RelatedThreshold float64
	// Candidates bounds the stories scored for each article (default 32).
	Candidates int
	// Postings bounds how many recent stories are read from the index for
	// each term (default 64).
	Postings int
	// Terms is how many key terms (by tf-idf) represent an article
	// (default 24); StoryTerms bounds a story's profile (default 64).
	Terms, StoryTerms int
	// Dedup links republished copies to their earliest version (default
	// on; set NoDedup to turn it off).
	NoDedup bool
	Dedup   DedupOptions
	// Pins are analyst decisions that survive regrouping: article id to
	// pin label. Articles with the same label always share a story.
	Pins map[string]string
	// Workers extract features in parallel in Group (default GOMAXPROCS).
	Workers int
}

func (o *Options) defaults() {
	if o.Window == 0 {
		o.Window = 7 * 24 * time.Hour
	}
	if o.Threshold == 0 {
		o.Threshold = 0.15
	}
	if o.RelatedThreshold == 0 {
		o.RelatedThreshold = 0.1
	}
	if o.Candidates == 0 {
		o.Candidates = 32
	}
	if o.Postings == 0 {
		o.Postings = 64
	}
	if o.Terms == 0 {
		o.Terms = 24
	}
	if o.StoryTerms == 0 {
		o.StoryTerms = 64
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
}

// Member is an article of a story with the decision that put it there.
type Member struct {
	ID        string    `json:"id"`
	Outlet    string    `json:"outlet,omitempty"`
	Title     string    `json:"title,omitempty"`
	Published time.Time `json:"published,omitempty"`
	// Reason explains the decision in one line.
	Reason string `json:"reason"`
	// Similarity is the score against the story when the article joined
	// (0 for the article that started the story).
	Similarity     float64  `json:"similarity"`
	SharedEntities []string `json:"shared_entities,omitempty"`
	SharedTerms    []string `json:"shared_terms,omitempty"`
	// CopyOf is set for a republished copy: the id of the earliest version.
	// A copy is not a new voice in the story.
	CopyOf string   `json:"copy_of,omitempty"`
	Copy   *Link    `json:"copy,omitempty"`
	Pinned bool     `json:"pinned,omitempty"`
	order  int      // ingest order
	titled bool     // Title is the article's own, not its first line
	feat   *weights // the article's key terms, kept for regrouping edits
}

// Related is a story close to another but below the joining threshold.
type Related struct {
	Story          int64    `json:"story"`
	Similarity     float64  `json:"similarity"`
	SharedEntities []string `json:"shared_entities,omitempty"`
	SharedTerms    []string `json:"shared_terms,omitempty"`
}

// Story is a group of articles about one event.
type Story struct {
	ID      int64     `json:"id"`
	Title   string    `json:"title"`
	Members []*Member `json:"members"`
	First   time.Time `json:"first,omitempty"`
	Last    time.Time `json:"last,omitempty"`
	// Pin is the analyst pin label shared by pinned members, "" if none.
	Pin     string    `json:"pin,omitempty"`
	Related []Related `json:"related,omitempty"`

	profile weights // centroid of member key terms and entities
	dead    bool    // merged away
	titled  bool    // Title is a member's headline
}

// Voices returns the outlets with an original article in the story (copies
// do not count), sorted.
func (s *Story) Voices() []string {
	set := map[string]bool{}
	for _, m := range s.Members {
		if m.CopyOf == "" && m.Outlet != "" {
			set[m.Outlet] = true
		}
	}
	out := make([]string, 0, len(set))
	for o := range set {
		out = append(out, o)
	}
	sort.Strings(out)
	return out
}

// Slant converts s to the root package's Story type: articles earliest
// first, the outlets that are voices, and the reasons of its members.
func (s *Story) Slant() slant.Story {
	ms := append([]*Member(nil), s.Members...)
	sort.SliceStable(ms, func(i, j int) bool { return memberBefore(ms[i], ms[j]) })
	out := slant.Story{ID: s.ID, Title: s.Title, First: s.First, Last: s.Last, Pinned: s.Pin != "", Outlets: s.Voices()}
	var reasons []string
	for _, m := range ms {
		out.Articles = append(out.Articles, m.ID)
		reasons = append(reasons, m.ID+": "+m.Reason)
	}
	out.Reason = strings.Join(reasons, "\n")
	return out
}

func memberBefore(a, b *Member) bool {
	switch {
	case a.Published.IsZero() != b.Published.IsZero():
		return !a.Published.IsZero()
	case !a.Published.Equal(b.Published):
		return a.Published.Before(b.Published)
	}
	return a.order < b.order
}

// weights is a sparse weighted vector of terms and entities.
type weights struct {
	terms    []weight
	entities []weight
	tnorm    float64
	enorm    float64
}

type weight struct {
	h     uint64
	w     float64
	label string
	src   int32 // index in the article's term list while choosing key terms
}

func norm(ws []weight) float64 {
	s := 0.0
	for _, w := range ws {
		s += w.w * w.w
	}
	return math.Sqrt(s)
}

// Grouper assigns articles to stories incrementally. It is not safe for
// concurrent use; Group prepares articles in parallel and assigns them in
// order.
type Grouper struct {
	opts    Options
	stories []*Story
	byID    map[int64]*Story
	nextID  int64
	members map[string]*Member
	storyOf map[string]int64
	pinned  map[string]int64 // pin label -> story
	// df counts the articles each term (or entity) occurred in, for idf.
	df    map[uint64]int32
	ndocs int
	// postings maps a term or entity to the stories whose profile has it,
	// oldest first; only the last Postings entries are read.
	postings map[uint64][]int64
	dedup    *Deduper
	order    int
	votes    []float64 // scratch for bestStory
	touched  []int64
	idfs     []float64 // scratch for keyWeights
}

// NewGrouper returns an empty Grouper.
func NewGrouper(opts Options) *Grouper {
	opts.defaults()
	g := &Grouper{
		opts:     opts,
		byID:     map[int64]*Story{},
		members:  map[string]*Member{},
		storyOf:  map[string]int64{},
		pinned:   map[string]int64{},
		df:       map[uint64]int32{},
		postings: map[uint64][]int64{},
		nextID:   1,
	}
	if !opts.NoDedup {
		g.dedup = NewDeduper(opts.Dedup)
	}
	if g.opts.Pins == nil {
		g.opts.Pins = map[string]string{}
	}
	return g
}

// Stories returns the current stories in the order they were started.
func (g *Grouper) Stories() []*Story {
	out := make([]*Story, 0, len(g.stories))
	for _, s := range g.stories {
		if !s.dead {
			out = append(out, s)
		}
	}
	return out
}

// Story returns the story with the given id.
func (g *Grouper) Story(id int64) (*Story, bool) {
	s, ok := g.byID[id]
	if !ok || s.dead {
		return nil, false
	}
	return s, true
}

// StoryOf returns the id of the story holding article id.
func (g *Grouper) StoryOf(id string) (int64, bool) {
	s, ok := g.storyOf[id]
	return s, ok
}

// Pins returns the analyst pins (article id -> label) to keep with the
// stories and pass back in Options.Pins when regrouping.
func (g *Grouper) Pins() map[string]string {
	out := make(map[string]string, len(g.opts.Pins))
	for k, v := range g.opts.Pins {
		out[k] = v
	}
	return out
}

// Group sorts items by publication time (undated last, then input order),
// extracts their features in parallel and adds them in that order. It
// returns the stories. ctx cancels it between articles.
func (g *Grouper) Group(ctx context.Context, items []Item) ([]*Story, error) {
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return PublishedBefore(items[idx[a]].Published, items[idx[b]].Published) })
	return g.GroupFunc(ctx, len(idx), func(_ context.Context, k int) (Item, error) { return items[idx[k]], nil })
}

// PublishedBefore is the order Group adds articles in: by publication time,
// undated ones last. Callers of GroupFunc sort with it (stably) to get the
// same stories as Group.
func PublishedBefore(a, b time.Time) bool {
	if a.IsZero() != b.IsZero() {
		return !a.IsZero()
	}
	return a.Before(b)
}

// prepared is an article ready for add: its features, computed once, and
// what add needs of it besides — not its text, which is dropped as soon as
// the features are extracted so that no article's text outlives its turn.
type prepared struct {
	it   Item // Text is always ""
	lead string
	f    docFeatures
	err  error
}

// groupReadAhead bounds the articles loaded or prepared ahead of the
// sequential assignment: their texts and features are what GroupFunc holds
// beyond the grouper's own state.
const groupReadAhead = 256

// GroupFunc adds n articles in the order k = 0 … n-1, as Group does but
// without needing them all in memory: workers call load(ctx, k) for the
// next articles (at most a few hundred ahead of the one being added, in
// parallel, so load must be safe for concurrent use) and extract their
// features; each article's text is dropped once its features are known.
// The first error of load stops the grouping and is returned. It returns
// the stories. ctx cancels it between articles.
func (g *Grouper) GroupFunc(ctx context.Context, n int, load func(ctx context.Context, k int) (Item, error)) ([]*Story, error) {
	ahead := min(groupReadAhead, max(n, 1))
	// slot k%ahead carries article k from its worker to the assignment.
	// The ahead semaphore frees a slot only once its previous article was
	// taken, so a worker's send never blocks.
	slots := make([]chan prepared, ahead)
	for i := range slots {
		slots[i] = make(chan prepared, 1)
	}
	jobs := make(chan int, ahead)
	sem := make(chan struct{}, ahead)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for w := 0; w < g.opts.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sc scratch
			for k := range jobs {
				it, err := load(ctx, k)
				p := prepared{err: err}
				if err == nil {
					p.f = sc.extract(it.Title, it.Text, it.Entities)
					if it.Title == "" {
						// A copy: a substring would keep the whole text alive.
						p.lead = strings.Clone(firstLine(it.Text))
					}
					it.Text = ""
					p.it = it
				}
				slots[k%ahead] <- p
			}
		}()
	}
	go func() {
		defer close(jobs)
		for k := 0; k < n; k++ {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- k:
			case <-ctx.Done():
				return
			}
		}
	}()
	var err error
	for k := 0; k < n; k++ {
		var p prepared
		select {
		case p = <-slots[k%ahead]:
			err = p.err
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			break
		}
		g.addPrepared(&p)
		<-sem
	}
	cancel()
	wg.Wait()
	if err != nil {
		return nil, err
	}
	return g.Stories(), nil
}

// Add assigns one article to a story, starting a new one when none fits,
// and returns the decision.
func (g *Grouper) Add(it Item) *Member {
	p := prepared{f: extract(it.Title, it.Text, it.Entities)}
	if it.Title == "" {
		p.lead = strings.Clone(firstLine(it.Text))
	}
	it.Text = ""
	p.it = it
	return g.addPrepared(&p)
}

// idf is the inverse document frequency of a term over the articles seen.
// Until many articles have been seen, the count is taken over at least
// idfFloor articles, as if a background corpus lacked the term: with five
// articles on one event, "cluster" (in four of them) must still weigh.
func (g *Grouper) idf(h uint64) float64 {
	return math.Log(float64(max(g.ndocs, idfFloor)+1)) - logCount(g.df[h]+1)
}

// logTable holds ln(i) for small counts: most document frequencies are
// small, and keyWeights takes hundreds of logarithms per article.
var logTable = func() []float64 {
	t := make([]float64, 1<<14)
	for i := 1; i < len(t); i++ {
		t[i] = math.Log(float64(i))
	}
	return t
}()

func logCount(n int32) float64 {
	if int(n) < len(logTable) && n > 0 {
		return logTable[n]
	}
	return math.Log(float64(n))
}

const idfFloor = 1000

// keyWeights turns counts into the article's top-k tf-idf weights.
func (g *Grouper) keyWeights(list []termCount, k int) []weight {
	// A pair's words come before it in the list, so one pass computes
	// every word's idf before any pair needs it.
	if cap(g.idfs) < len(list) {
		g.idfs = make([]float64, len(list)+len(list)/2)
	}
	idfs := g.idfs[:len(list)]
	top := make([]weight, 0, k+1)
	for i, t := range list {
		if t.pair {
			idfs[i] = max(idfs[t.ia], idfs[t.ib])
		} else {
			idfs[i] = g.idf(t.h)
		}
		if idfs[i] <= 0 {
			continue
		}
		w := weight{h: t.h, w: (1 + math.Log(float64(t.n))) * idfs[i], src: int32(i)}
		top = pushTop(top, w, k)
	}
	// Labels are resolved for the winners only.
	for i := range top {
		t := list[top[i].src]
		if t.pair {
			top[i].label = list[t.ia].label + " " + list[t.ib].label
		} else {
			top[i].label = strings.Clone(t.label)
		}
	}
	slices.SortFunc(top, byHash)
	return top
}

// pushTop keeps the k strongest weights in a min-heap (weakest at 0).
func pushTop(h []weight, w weight, k int) []weight {
	if len(h) == k {
		if byWeight(w, h[0]) >= 0 {
			return h
		}
		h[0] = w
		siftDown(h, 0)
		return h
	}
	h = append(h, w)
	// Sift up: the weaker goes towards the root.
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if byWeight(h[i], h[p]) <= 0 {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
	return h
}

func siftDown(h []weight, i int) {
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && byWeight(h[l], h[m]) > 0 {
			m = l
		}
		if r < len(h) && byWeight(h[r], h[m]) > 0 {
			m = r
		}
		if m == i {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// byWeight orders strongest first, ties by hash for determinism.
func byWeight(a, b weight) int {
	switch {
	case a.w > b.w:
		return -1
	case a.w < b.w:
		return 1
	case a.h < b.h:
		return -1
	case a.h > b.h:
		return 1
	}
	return 0
}

func byHash(a, b weight) int {
	switch {
	case a.h < b.h:
		return -1
	case a.h > b.h:
		return 1
	}
	return 0
}

// topByHash keeps the k strongest entries of ws and returns them sorted by
// hash, the order cosine and mergeWeights walk.
func topByHash(ws []weight, k int) []weight {
	if len(ws) > k {
		slices.SortFunc(ws, byWeight)
		ws = ws[:k]
	}
	slices.SortFunc(ws, byHash)
	return ws
}

func (g *Grouper) addPrepared(p *prepared) *Member {
	it, f := &p.it, &p.f
	if _, dup := g.members[it.ID]; dup {
		// The same id again (re-ingest): keep the first decision.
		return g.members[it.ID]
	}
	g.order++
	// Update document frequencies first so a term's idf reflects this
	// article too and the very first articles do not get idf 0.
	g.ndocs++
	for _, t := range f.terms {
		if !t.pair {
			g.df[t.h]++
		}
	}
	for _, e := range f.entities {
		g.df[e.h]++
	}
	w := &weights{terms: g.keyWeights(f.terms, g.opts.Terms), entities: g.keyWeights(f.entities, g.opts.Terms/2)}
	w.tnorm, w.enorm = norm(w.terms), norm(w.entities)
	m := &Member{ID: it.ID, Outlet: it.Outlet, Title: it.Title, Published: it.Published, order: g.order, feat: w, titled: it.Title != ""}
	if m.Title == "" {
		m.Title = p.lead
	}
	g.members[it.ID] = m

	// 1. Analyst pins win over everything.
	if label, ok := g.opts.Pins[it.ID]; ok {
		m.Pinned = true
		if sid, ok := g.pinned[label]; ok {
			m.Reason = fmt.Sprintf("pinned by analyst (%s)", label)
			g.join(g.byID[sid], m, it.Published)
			return m
		}
		s := g.newStory(m, it.Published)
		s.Pin = label
		g.pinned[label] = s.ID
		m.Reason = fmt.Sprintf("pinned by analyst (%s); started story", label)
		return m
	}
	// 2. Republished copies join their original's story.
	if g.dedup != nil {
		links := g.dedup.add(DedupDoc{ID: it.ID, URL: it.URL, Published: it.Published}, f.sig, f.hash)
		for _, l := range links {
			if l.ID != it.ID {
				continue
			}
			if sid, ok := g.storyOf[l.Original]; ok {
				lc := l
				m.CopyOf, m.Copy = l.Original, &lc
				m.Similarity = l.Jaccard
				m.Reason = fmt.Sprintf("%s copy of %s (shares %.0f%% of the shorter text, Jaccard %.2f); not a new voice", l.Kind, l.Original, 100*l.Shared, l.Jaccard)
				g.join(g.byID[sid], m, it.Published)
				return m
			}
		}
	}
	// 3. Best story by similarity among the candidates.
	best, bestSim, bestE, bestT := g.bestStory(w, it.Published)
	if best != nil && bestSim >= g.opts.Threshold {
		m.Similarity, m.SharedEntities, m.SharedTerms = bestSim, bestE, bestT
		m.Reason = fmt.Sprintf("joined story %d: similarity %.2f; shared entities: %s; shared terms: %s",
			best.ID, bestSim, listOrNone(bestE), listOrNone(bestT))
		g.join(best, m, it.Published)
		return m
	}
	s := g.newStory(m, it.Published)
	m.Reason = "started story: no story within the window reached similarity " + fmt.Sprintf("%.2f", g.opts.Threshold)
	if best != nil && bestSim >= g.opts.RelatedThreshold {
		s.Related = append(s.Related, Related{Story: best.ID, Similarity: bestSim, SharedEntities: bestE, SharedTerms: bestT})
		best.Related = append(best.Related, Related{Story: s.ID, Similarity: bestSim, SharedEntities: bestE, SharedTerms: bestT})
		m.Reason += fmt.Sprintf(" (closest: story %d at %.2f, shared entities: %s; shared terms: %s)", best.ID, bestSim, listOrNone(bestE), listOrNone(bestT))
	}
	return m
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 120 {
		cut := 120
		for cut > 0 && s[cut]&0xc0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strings.TrimSpace(s)
}

// inWindow reports whether an article published at t may join s.
func (g *Grouper) inWindow(s *Story, t time.Time) bool {
	if t.IsZero() || s.First.IsZero() {
		return true
	}
	return !t.Before(s.First.Add(-g.opts.Window)) && !t.After(s.Last.Add(g.opts.Window))
}

// bestStory scores the candidate stories that share key terms or entities
// with w and returns the most similar one within the time window.
func (g *Grouper) bestStory(w *weights, t time.Time) (*Story, float64, []string, []string) {
	// Votes accumulate in a dense slice indexed by story id (ids are
	// sequential); touched remembers which entries to read and reset.
	if need := int(g.nextID); len(g.votes) < need {
		g.votes = append(g.votes, make([]float64, need-len(g.votes)+1024)...)
	}
	touched := g.touched[:0]
	vote := func(ws []weight) {
		for _, x := range ws {
			p := g.postings[x.h]
			n := 0
			for i := len(p) - 1; i >= 0 && n < g.opts.Postings; i-- {
				n++
				id := p[i]
				if g.votes[id] == 0 {
					touched = append(touched, id)
				}
				g.votes[id] += x.w
			}
		}
	}
	vote(w.terms)
	vote(w.entities)
	type cand struct {
		id int64
		v  float64
	}
	cands := make([]cand, 0, len(touched))
	for _, id := range touched {
		cands = append(cands, cand{id, g.votes[id]})
		g.votes[id] = 0
	}
	g.touched = touched
	// Keep the candidates within the window, then the Candidates with the
	// most votes (a bounded heap, not a sort of them all).
	live := cands[:0]
	for _, c := range cands {
		if s := g.byID[c.id]; s != nil && !s.dead && g.inWindow(s, t) {
			live = append(live, c)
		}
	}
	weaker := func(a, b cand) bool { return a.v < b.v || a.v == b.v && a.id > b.id }
	top := live
	if len(live) > g.opts.Candidates {
		top = make([]cand, 0, g.opts.Candidates)
		for _, c := range live {
			if len(top) < g.opts.Candidates {
				top = append(top, c)
				for i := len(top) - 1; i > 0 && weaker(top[i], top[(i-1)/2]); i = (i - 1) / 2 {
					top[i], top[(i-1)/2] = top[(i-1)/2], top[i]
				}
				continue
			}
			if !weaker(top[0], c) {
				continue
			}
			top[0] = c
			for i := 0; ; {
				l, r, m := 2*i+1, 2*i+2, i
				if l < len(top) && weaker(top[l], top[m]) {
					m = l
				}
				if r < len(top) && weaker(top[r], top[m]) {
					m = r
				}
				if m == i {
					break
				}
				top[i], top[m] = top[m], top[i]
				i = m
			}
		}
	}
	var best *Story
	bestSim := 0.0
	for _, c := range top {
		s := g.byID[c.id]
		if sim := similarity(w, &s.profile); sim > bestSim || sim == bestSim && best != nil && s.ID < best.ID {
			best, bestSim = s, sim
		}
	}
	if best == nil {
		return nil, 0, nil, nil
	}
	return best, bestSim, shared(w.entities, best.profile.entities, 5), shared(w.terms, best.profile.terms, 6)
}

// similarity combines the cosine of key terms and of entities. Entities
// weigh less than terms: many unrelated stories share "Ukraine" and "US".
func similarity(a, b *weights) float64 {
	ct := cosine(a.terms, a.tnorm, b.terms, b.tnorm)
	if len(a.entities) == 0 || len(b.entities) == 0 {
		return ct
	}
	ce := cosine(a.entities, a.enorm, b.entities, b.enorm)
	return 0.65*ct + 0.35*ce
}

func cosine(a []weight, an float64, b []weight, bn float64) float64 {
	if an == 0 || bn == 0 {
		return 0
	}
	// Both lists are sorted by hash: one merge pass.
	dot := 0.0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].h < b[j].h:
			i++
		case a[i].h > b[j].h:
			j++
		default:
			dot += a[i].w * b[j].w
			i++
			j++
		}
	}
	return dot / (an * bn)
}

// shared returns the labels of up to k entries of a also in b, by the
// product of their weights.
func shared(a, b []weight, k int) []string {
	type pair struct {
		label string
		w     float64
	}
	var ps []pair
	for _, x := range a {
		for _, y := range b {
			if x.h == y.h {
				ps = append(ps, pair{x.label, x.w * y.w})
				break
			}
		}
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].w != ps[j].w {
			return ps[i].w > ps[j].w
		}
		return ps[i].label < ps[j].label
	})
	var out []string
	for _, p := range ps {
		if len(out) == k {
			break
		}
		out = append(out, p.label)
	}
	return out
}

func (g *Grouper) newStory(m *Member, t time.Time) *Story {
	s := &Story{ID: g.nextID, Title: m.Title, First: t, Last: t, titled: m.titled}
	g.nextID++
	g.stories = append(g.stories, s)
	g.byID[s.ID] = s
	s.Members = append(s.Members, m)
	g.storyOf[m.ID] = s.ID
	g.addProfile(s, m.feat)
	return s
}

func (g *Grouper) join(s *Story, m *Member, t time.Time) {
	s.Members = append(s.Members, m)
	g.storyOf[m.ID] = s.ID
	if !t.IsZero() {
		if s.First.IsZero() || t.Before(s.First) {
			s.First = t
		}
		if t.After(s.Last) {
			s.Last = t
		}
	}
	// A headline names a story better than the first line of an article
	// that has none.
	if s.Title == "" || m.titled && !s.titled {
		s.Title, s.titled = m.Title, m.titled
	}
	// A copy adds no new content to the profile.
	if m.CopyOf == "" {
		g.addProfile(s, m.feat)
	}
}

// addProfile adds an article's unit-length vectors to the story's profile,
// keeps the profile's strongest entries and indexes the new ones.
func (g *Grouper) addProfile(s *Story, w *weights) {
	oldTerms, oldEnts := s.profile.terms, s.profile.entities
	s.profile.terms = mergeWeights(s.profile.terms, w.terms, w.tnorm, g.opts.StoryTerms)
	s.profile.entities = mergeWeights(s.profile.entities, w.entities, w.enorm, g.opts.StoryTerms/2)
	s.profile.tnorm, s.profile.enorm = norm(s.profile.terms), norm(s.profile.entities)
	// Index what is new in the profile; the old profile is sorted by hash,
	// so a binary search tells.
	index := func(ws, old []weight) {
		for _, x := range ws {
			if _, found := slices.BinarySearchFunc(old, x, byHash); found {
				continue
			}
			p := append(g.postings[x.h], s.ID)
			// Keep posting lists bounded: only the most recent entries
			// are ever read.
			if len(p) > 2*g.opts.Postings {
				p = append(p[:0:0], p[len(p)-g.opts.Postings:]...)
			}
			g.postings[x.h] = p
		}
	}
	index(s.profile.terms, oldTerms)
	index(s.profile.entities, oldEnts)
}

// mergeWeights adds the unit-length add to profile (both sorted by hash)
// and keeps the k strongest entries.
func mergeWeights(profile, add []weight, addNorm float64, k int) []weight {
	if addNorm == 0 {
		return profile
	}
	out := make([]weight, 0, len(profile)+len(add))
	i, j := 0, 0
	for i < len(profile) || j < len(add) {
		switch {
		case j == len(add) || i < len(profile) && profile[i].h < add[j].h:
			out = append(out, profile[i])
			i++
		case i == len(profile) || add[j].h < profile[i].h:
			out = append(out, weight{h: add[j].h, w: add[j].w / addNorm, label: add[j].label})
			j++
		default:
			x := profile[i]
			x.w += add[j].w / addNorm
			out = append(out, x)
			i++
			j++
		}
	}
	return topByHash(out, k)
}

var zeroTime time.Time

func itoa(n int64) string { return fmt.Sprint(n) }
