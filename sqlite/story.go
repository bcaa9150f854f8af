package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/slant-news/slant"
)

// StoredStory is a story as the store keeps it: the summary every command
// shows, and the grouping's own detailed record.
type StoredStory struct {
	slant.Story
	// Detail is the grouper's full record of the story as JSON (members
	// with the reasons they joined, related stories), stored and returned
	// unchanged; empty when there is none.
	Detail json.RawMessage `json:"detail,omitempty"`
}

// ReplaceStories stores a new grouping of the articles into stories in
// place of the previous one, in one transaction. A story's Articles must be
// stored article ids (EINVALID otherwise). Pinned marks a story an analyst
// edited; each member article that has a pin (SetStoryPins) is marked
// pinned too. First, Last and Outlets are derived from the member articles
// when zero.
func (s *DB) ReplaceStories(ctx context.Context, stories []StoredStory) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store stories: %w", err)
	}
	defer tx.Rollback()
	for _, q := range []string{"DELETE FROM story_articles", "DELETE FROM stories"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("store stories: %w", err)
		}
	}
	for _, st := range stories {
		var first, last any
		if !st.First.IsZero() {
			first = st.First.UnixMilli()
		}
		if !st.Last.IsZero() {
			last = st.Last.UnixMilli()
		}
		detail := ""
		if len(st.Detail) > 0 {
			if !json.Valid(st.Detail) {
				return slant.Errorf(slant.EINVALID, "store stories: story %d: detail is not JSON", st.ID)
			}
			detail = string(st.Detail)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO stories (id, title, reason, first, last, pinned, updated, detail)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, st.ID, st.Title, st.Reason, first, last, st.Pinned, s.now().UnixMilli(), detail); err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return slant.Errorf(slant.EINVALID, "store stories: story id %d given twice", st.ID)
			}
			return fmt.Errorf("store stories: story %d: %w", st.ID, err)
		}
		for _, id := range st.Articles {
			var known int
			err := tx.QueryRowContext(ctx, "SELECT count(*) FROM articles WHERE id = ?", id).Scan(&known)
			if err != nil {
				return fmt.Errorf("store stories: %w", err)
			}
			if known == 0 {
				return slant.Errorf(slant.EINVALID, "store stories: story %d: no stored article %q", st.ID, id)
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO story_articles (story_id, article_id, pinned)
				VALUES (?, ?, EXISTS (SELECT 1 FROM story_pins WHERE article_id = ?))`, st.ID, id, id); err != nil {
				return fmt.Errorf("store stories: story %d: %w", st.ID, err)
			}
		}
	}
	// Fill what the caller left out from the members themselves.
	if _, err := tx.ExecContext(ctx, `UPDATE stories SET
		first = coalesce(first, (SELECT min(coalesce(a.published, a.ingested)) FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = stories.id)),
		last = coalesce(last, (SELECT max(coalesce(a.published, a.ingested)) FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = stories.id))`); err != nil {
		return fmt.Errorf("store stories: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store stories: %w", err)
	}
	return nil
}

// Stories returns the stored stories, latest activity first. Articles are
// listed earliest first and Outlets are the distinct outlets of the
// members, sorted.
func (s *DB) Stories(ctx context.Context) ([]StoredStory, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, title, reason, first, last, pinned, detail FROM stories
		ORDER BY last DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("read stories: %w", err)
	}
	var out []StoredStory
	for rows.Next() {
		var (
			st          StoredStory
			first, last sql.NullInt64
			detail      string
		)
		if err := rows.Scan(&st.ID, &st.Title, &st.Reason, &first, &last, &st.Pinned, &detail); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read stories: %w", err)
		}
		if first.Valid {
			st.First = time.UnixMilli(first.Int64).UTC()
		}
		if last.Valid {
			st.Last = time.UnixMilli(last.Int64).UTC()
		}
		if detail != "" {
			st.Detail = json.RawMessage(detail)
		}
		out = append(out, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read stories: %w", err)
	}
	// Members in one query for all stories rather than one per story.
	idx := make(map[int64]int, len(out))
	for i := range out {
		idx[out[i].ID] = i
	}
	mrows, err := s.db.QueryContext(ctx, `SELECT sa.story_id, a.id, a.outlet FROM story_articles sa
		JOIN articles a ON a.id = sa.article_id
		ORDER BY sa.story_id, coalesce(a.published, a.ingested), a.seq`)
	if err != nil {
		return nil, fmt.Errorf("read stories: %w", err)
	}
	defer mrows.Close()
	seen := map[int64]map[string]bool{}
	for mrows.Next() {
		var (
			sid        int64
			id, outlet string
		)
		if err := mrows.Scan(&sid, &id, &outlet); err != nil {
			return nil, fmt.Errorf("read stories: %w", err)
		}
		i, ok := idx[sid]
		if !ok {
			continue
		}
		st := &out[i]
		st.Articles = append(st.Articles, id)
		if outlet != "" {
			if seen[sid] == nil {
				seen[sid] = map[string]bool{}
			}
			if !seen[sid][outlet] {
				seen[sid][outlet] = true
				st.Outlets = insertSorted(st.Outlets, outlet)
			}
		}
	}
	if err := mrows.Err(); err != nil {
		return nil, fmt.Errorf("read stories: %w", err)
	}
	return out, nil
}

func insertSorted(list []string, s string) []string {
	i := 0
	for i < len(list) && list[i] < s {
		i++
	}
	list = append(list, "")
	copy(list[i+1:], list[i:])
	list[i] = s
	return list
}

// StoryPins returns the analysts' pins: article id to pin label. Articles
// with the same label belong in one story whatever regrouping decides.
func (s *DB) StoryPins(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT article_id, label FROM story_pins")
	if err != nil {
		return nil, fmt.Errorf("read story pins: %w", err)
	}
	defer rows.Close()
	pins := map[string]string{}
	for rows.Next() {
		var id, label string
		if err := rows.Scan(&id, &label); err != nil {
			return nil, fmt.Errorf("read story pins: %w", err)
		}
		pins[id] = label
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read story pins: %w", err)
	}
	return pins, nil
}

// SetStoryPins replaces all pins with pins (article id to label), in one
// transaction. Every id must be a stored article (EINVALID otherwise).
func (s *DB) SetStoryPins(ctx context.Context, pins map[string]string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store story pins: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM story_pins"); err != nil {
		return fmt.Errorf("store story pins: %w", err)
	}
	for id, label := range pins {
		var known int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM articles WHERE id = ?", id).Scan(&known); err != nil {
			return fmt.Errorf("store story pins: %w", err)
		}
		if known == 0 {
			return slant.Errorf(slant.EINVALID, "pin: no stored article %q", id)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO story_pins (article_id, label) VALUES (?, ?)", id, label); err != nil {
			return fmt.Errorf("store story pins: %w", err)
		}
	}
	// Keep the member flags of the current stories in step.
	if _, err := tx.ExecContext(ctx, "UPDATE story_articles SET pinned = EXISTS (SELECT 1 FROM story_pins p WHERE p.article_id = story_articles.article_id)"); err != nil {
		return fmt.Errorf("store story pins: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store story pins: %w", err)
	}
	return nil
}
