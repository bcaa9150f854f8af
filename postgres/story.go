package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/sqlite"
)

// storiesLock serialises regroupings: two writers replacing the stories at
// once would interleave their deletes and inserts.
const storiesLock = 0x736c616e7402

// ReplaceStories stores a new grouping in place of the previous one, in one
// transaction, with the SQLite store's rules: members must be stored
// articles (EINVALID), a member with a pin is marked pinned, and First and
// Last are derived from the members when zero.
func (s *DB) ReplaceStories(ctx context.Context, stories []sqlite.StoredStory) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store stories: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", storiesLock); err != nil {
		return fmt.Errorf("store stories: %w", err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM stories"); err != nil { // cascades to story_articles
		return fmt.Errorf("store stories: %w", err)
	}
	now := s.now()
	seen := map[int64]bool{}
	for _, st := range stories {
		if seen[st.ID] {
			return slant.Errorf(slant.EINVALID, "store stories: story id %d given twice", st.ID)
		}
		seen[st.ID] = true
		var first, last *time.Time
		if !st.First.IsZero() {
			first = &st.First
		}
		if !st.Last.IsZero() {
			last = &st.Last
		}
		detail := ""
		if len(st.Detail) > 0 {
			if !json.Valid(st.Detail) {
				return slant.Errorf(slant.EINVALID, "store stories: story %d: detail is not JSON", st.ID)
			}
			detail = string(st.Detail)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO stories (id, title, reason, first, last, pinned, updated, detail)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, st.ID, st.Title, st.Reason, first, last, st.Pinned, now, detail); err != nil {
			return fmt.Errorf("store stories: story %d: %w", st.ID, err)
		}
		if len(st.Articles) == 0 {
			continue
		}
		tag, err := tx.Exec(ctx, `INSERT INTO story_articles (story_id, article_id, pinned)
			SELECT $1, a.id, EXISTS (SELECT 1 FROM story_pins p WHERE p.article_id = a.id)
			FROM articles a WHERE a.id = ANY($2::text[])
			ON CONFLICT DO NOTHING`, st.ID, st.Articles)
		if err != nil {
			return fmt.Errorf("store stories: story %d: %w", st.ID, err)
		}
		if want := distinct(st.Articles); tag.RowsAffected() != int64(want) {
			return slant.Errorf(slant.EINVALID, "store stories: story %d: %d of its %d articles are not stored", st.ID, int64(want)-tag.RowsAffected(), want)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE stories SET
		first = coalesce(first, (SELECT min(coalesce(a.published, a.ingested)) FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = stories.id)),
		last = coalesce(last, (SELECT max(coalesce(a.published, a.ingested)) FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = stories.id))`); err != nil {
		return fmt.Errorf("store stories: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store stories: %w", err)
	}
	return nil
}

func distinct(ids []string) int {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return len(m)
}

// Stories returns the stored stories, latest activity first, members
// earliest first and outlets sorted, as the SQLite store does.
func (s *DB) Stories(ctx context.Context) ([]sqlite.StoredStory, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, title, reason, first, last, pinned, detail FROM stories
		ORDER BY last DESC NULLS LAST, id`)
	if err != nil {
		return nil, fmt.Errorf("read stories: %w", err)
	}
	var out []sqlite.StoredStory
	idx := map[int64]int{}
	for rows.Next() {
		var (
			st          sqlite.StoredStory
			first, last *time.Time
			detail      string
		)
		if err := rows.Scan(&st.ID, &st.Title, &st.Reason, &first, &last, &st.Pinned, &detail); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read stories: %w", err)
		}
		if first != nil {
			st.First = first.UTC()
		}
		if last != nil {
			st.Last = last.UTC()
		}
		if detail != "" {
			st.Detail = json.RawMessage(detail)
		}
		idx[st.ID] = len(out)
		out = append(out, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read stories: %w", err)
	}
	mrows, err := s.pool.Query(ctx, `SELECT sa.story_id, a.id, a.outlet FROM story_articles sa
		JOIN articles a ON a.id = sa.article_id
		ORDER BY sa.story_id, coalesce(a.published, a.ingested), a.seq`)
	if err != nil {
		return nil, fmt.Errorf("read stories: %w", err)
	}
	defer mrows.Close()
	outlets := map[int64]map[string]bool{}
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
		out[i].Articles = append(out[i].Articles, id)
		if outlet != "" {
			if outlets[sid] == nil {
				outlets[sid] = map[string]bool{}
			}
			outlets[sid][outlet] = true
		}
	}
	if err := mrows.Err(); err != nil {
		return nil, fmt.Errorf("read stories: %w", err)
	}
	for sid, set := range outlets {
		list := make([]string, 0, len(set))
		for o := range set {
			list = append(list, o)
		}
		sort.Strings(list)
		out[idx[sid]].Outlets = list
	}
	return out, nil
}

// StoryPins returns the analysts' pins: article id to pin label.
func (s *DB) StoryPins(ctx context.Context) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, "SELECT article_id, label FROM story_pins")
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

// SetStoryPins replaces all pins, in one transaction. Every id must be a
// stored article (EINVALID otherwise).
func (s *DB) SetStoryPins(ctx context.Context, pins map[string]string) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store story pins: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", storiesLock); err != nil {
		return fmt.Errorf("store story pins: %w", err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM story_pins"); err != nil {
		return fmt.Errorf("store story pins: %w", err)
	}
	for id, label := range pins {
		if _, err := tx.Exec(ctx, "INSERT INTO story_pins (article_id, label) VALUES ($1, $2)", id, label); err != nil {
			var pe *pgconn.PgError
			if errors.As(err, &pe) && pe.Code == "23503" { // foreign key: no such article
				return slant.Errorf(slant.EINVALID, "pin: no stored article %q", id)
			}
			return fmt.Errorf("store story pins: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, "UPDATE story_articles SET pinned = EXISTS (SELECT 1 FROM story_pins p WHERE p.article_id = story_articles.article_id)"); err != nil {
		return fmt.Errorf("store story pins: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store story pins: %w", err)
	}
	return nil
}
