package stories

import (
	"github.com/slant-news/slant"
)

// Analyst edits. Each edit changes the current stories and records pins
// (article id -> label) so that grouping the same articles again, with
// Options.Pins set to Grouper.Pins(), reproduces the edit. A label names
// an anchor article ("with:ID"), which stays meaningful when story ids
// change on regrouping.

// labelOf returns s's pin label, giving it one anchored on its earliest
// member when it has none.
func (g *Grouper) labelOf(s *Story) string {
	if s.Pin != "" {
		return s.Pin
	}
	anchor := s.Members[0]
	for _, m := range s.Members[1:] {
		if memberBefore(m, anchor) {
			anchor = m
		}
	}
	s.Pin = "with:" + anchor.ID
	g.pinned[s.Pin] = s.ID
	return s.Pin
}

func (g *Grouper) pinAll(s *Story) {
	label := g.labelOf(s)
	for _, m := range s.Members {
		g.opts.Pins[m.ID] = label
		m.Pinned = true
	}
}

func (g *Grouper) live(id int64) (*Story, error) {
	s, ok := g.Story(id)
	if !ok {
		return nil, slant.Errorf(slant.ENOTFOUND, "story %d does not exist", id)
	}
	return s, nil
}

// Merge moves every article of story from into story into and removes
// from.
func (g *Grouper) Merge(into, from int64) error {
	if into == from {
		return slant.Errorf(slant.EINVALID, "merge: story %d with itself", into)
	}
	a, err := g.live(into)
	if err != nil {
		return err
	}
	b, err := g.live(from)
	if err != nil {
		return err
	}
	for _, m := range b.Members {
		m.Reason = "merged by analyst from story " + itoa(b.ID)
		a.Members = append(a.Members, m)
		g.storyOf[m.ID] = a.ID
	}
	if b.Pin != "" {
		delete(g.pinned, b.Pin)
	}
	b.dead, b.Members = true, nil
	g.rebuild(a)
	g.pinAll(a)
	return nil
}

// Split moves the given articles of story id into a new story and returns
// its id. The articles left behind stay together too.
func (g *Grouper) Split(id int64, articles []string) (int64, error) {
	s, err := g.live(id)
	if err != nil {
		return 0, err
	}
	take := map[string]bool{}
	for _, a := range articles {
		if g.storyOf[a] != id || g.members[a] == nil {
			return 0, slant.Errorf(slant.EINVALID, "split: article %s is not in story %d", a, id)
		}
		take[a] = true
	}
	if len(take) == 0 || len(take) == len(s.Members) {
		return 0, slant.Errorf(slant.EINVALID, "split: give some but not all of story %d's %d articles", id, len(s.Members))
	}
	var keep, moved []*Member
	for _, m := range s.Members {
		if take[m.ID] {
			moved = append(moved, m)
		} else {
			keep = append(keep, m)
		}
	}
	// The old label may be anchored on a moved article: re-anchor.
	if s.Pin != "" {
		delete(g.pinned, s.Pin)
		s.Pin = ""
	}
	s.Members = keep
	g.rebuild(s)
	g.pinAll(s)

	n := &Story{ID: g.nextID, Title: moved[0].Title}
	g.nextID++
	g.stories = append(g.stories, n)
	g.byID[n.ID] = n
	for _, m := range moved {
		m.Reason = "split by analyst from story " + itoa(id)
		n.Members = append(n.Members, m)
		g.storyOf[m.ID] = n.ID
	}
	g.rebuild(n)
	g.pinAll(n)
	return n.ID, nil
}

// Move puts one article into story to.
func (g *Grouper) Move(article string, to int64) error {
	m := g.members[article]
	if m == nil {
		return slant.Errorf(slant.ENOTFOUND, "move: article %s is not grouped", article)
	}
	dst, err := g.live(to)
	if err != nil {
		return err
	}
	fromID := g.storyOf[article]
	if fromID == to {
		g.pinAll(dst)
		return nil
	}
	src := g.byID[fromID]
	for i, x := range src.Members {
		if x == m {
			src.Members = append(src.Members[:i:i], src.Members[i+1:]...)
			break
		}
	}
	if len(src.Members) == 0 {
		src.dead = true
		if src.Pin != "" {
			delete(g.pinned, src.Pin)
		}
	} else {
		g.rebuild(src)
	}
	m.Reason = "moved by analyst from story " + itoa(fromID)
	dst.Members = append(dst.Members, m)
	g.storyOf[article] = to
	g.rebuild(dst)
	g.pinAll(dst)
	return nil
}

// rebuild recomputes a story's profile and time range from its members.
func (g *Grouper) rebuild(s *Story) {
	s.profile = weights{}
	s.First, s.Last = zeroTime, zeroTime
	for _, m := range s.Members {
		if t := m.Published; !t.IsZero() {
			if s.First.IsZero() || t.Before(s.First) {
				s.First = t
			}
			if t.After(s.Last) {
				s.Last = t
			}
		}
		if m.CopyOf == "" && m.feat != nil {
			g.addProfile(s, m.feat)
		}
	}
	// The earliest member's headline, else its first line.
	var first *Member
	for _, m := range s.Members {
		if first == nil || m.titled && !first.titled || m.titled == first.titled && memberBefore(m, first) {
			first = m
		}
	}
	if first != nil {
		s.Title, s.titled = first.Title, first.titled
	}
}
