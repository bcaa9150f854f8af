package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/ingest"
	"github.com/slant-news/slant/pipeline"
)

// Poller polls feeds and stores the articles of their new items. Set the
// fields, then call PollOnce once per round. A feed or page that fails is logged on
// one line and skipped; only a failing store or state file stops a round.
type Poller struct {
	// Feeds are http(s) feed URLs or paths of feed files.
	Feeds []string
	// Analyzers run on every new article (none is allowed).
	Analyzers []slant.Analyzer
	// Store receives the reports. When it also has LookupText (as
	// *sqlite.DB does), a text already stored is not analysed again.
	Store slant.Store
	// State remembers validators, backoff and the items taken.
	State *State
	// Options limit the fetches of feeds and pages. Its Client, when nil,
	// is built once with ingest.NewClient, so the refusal of private
	// addresses holds unless AllowPrivate is set.
	Options ingest.Options
	// Backoff is the retry schedule of failing feeds (default
	// NewBackoff(0, 0, 1)).
	Backoff *Backoff
	// Log receives one line per failed feed or page (nil discards).
	Log io.Writer
	// OnStored is called for each item stored (or found already stored),
	// or published when Publish is set.
	OnStored func(Stored)
	// Publish, when set, hands each new item to a work queue instead of
	// fetching, analysing and storing it here (slant watch --queue); Store
	// and Analyzers are then unused. An *slant.Error with EINVALID skips
	// the item; any other error stops the round.
	Publish func(ctx context.Context, feed string, it ingest.FeedItem) error
	// Now is the clock (default time.Now); tests set it.
	Now func() time.Time

	client *http.Client
}

// Stored is the outcome of one new feed item.
type Stored struct {
	// Feed is the feed the item came from.
	Feed string
	// ID is the store's id of the article.
	ID string
	// Title and URL describe the article.
	Title, URL string
	// Created is false when the store already had the text.
	Created bool
	// FromFeed is true when the page could not be read and the article
	// was built from the feed's own content.
	FromFeed bool
	// Queued is true when the item went to the work queue (Poller.Publish)
	// rather than to the store; ID is then empty.
	Queued bool
}

// Stats counts what one round did.
type Stats struct {
	// Feeds polled, NotModified of them answered 304, Failed failed,
	// Waiting were skipped because they are backing off.
	Feeds, NotModified, Failed, Waiting int
	// Items listed by the feeds polled; Seen of them were taken before.
	Items, Seen int
	// Stored new articles, Unchanged ones the store already had, FromFeed
	// built from feed content, Skipped items that failed altogether.
	Stored, Unchanged, FromFeed, Skipped int
}

func (s *Stats) add(o Stats) {
	s.Feeds += o.Feeds
	s.NotModified += o.NotModified
	s.Failed += o.Failed
	s.Waiting += o.Waiting
	s.Items += o.Items
	s.Seen += o.Seen
	s.Stored += o.Stored
	s.Unchanged += o.Unchanged
	s.FromFeed += o.FromFeed
	s.Skipped += o.Skipped
}

// textLookup is the optional store method that skips re-analysis.
type textLookup interface {
	LookupText(ctx context.Context, text string) (id string, found bool, err error)
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Poller) logf(format string, args ...any) {
	if p.Log != nil {
		msg := strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", " ")
		fmt.Fprintln(p.Log, msg)
	}
}

func (p *Poller) init() {
	if p.Backoff == nil {
		p.Backoff = NewBackoff(0, 0, 1)
	}
	if p.client == nil {
		p.client = p.Options.Client
		if p.client == nil {
			p.client = ingest.NewClient(p.Options)
		}
		// Pages are fetched through the same client: one connection pool,
		// one address policy.
		p.Options.Client = p.client
	}
}

// PollOnce polls each feed that is not backing off, in order, and stores
// its new items. The error is non-nil only when the store or the state
// fails, or ctx is cancelled; failed feeds and pages are logged and counted.
func (p *Poller) PollOnce(ctx context.Context) (Stats, error) {
	p.init()
	var total Stats
	for _, f := range p.Feeds {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		s, err := p.pollFeed(ctx, f)
		total.add(s)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// pollFeed polls one feed and records the outcome in the state.
func (p *Poller) pollFeed(ctx context.Context, feed string) (Stats, error) {
	var s Stats
	st, err := p.State.Feed(ctx, feed)
	if err != nil {
		return s, err
	}
	now := p.now()
	if !st.NextTry.IsZero() && now.Before(st.NextTry) {
		s.Waiting++
		return s, nil
	}
	s.Feeds++
	st.LastPolled = now
	items, etag, lastMod, notModified, ferr := p.readFeed(ctx, feed, st)
	if ferr != nil {
		if ctx.Err() != nil {
			return s, ctx.Err()
		}
		s.Failed++
		st.Failures++
		// Errors from ingest name the source; the log line names it already.
		st.LastError = strings.TrimPrefix(oneLine(ferr), feed+": ")
		st.NextTry = now.Add(p.Backoff.Delay(st.Failures))
		p.logf("feeds: skipped feed %s: %s (failure %d, next try after %s)",
			feed, st.LastError, st.Failures, st.NextTry.UTC().Format(time.RFC3339))
		return s, p.State.SaveFeed(ctx, st)
	}
	st.Failures, st.LastError, st.NextTry = 0, "", time.Time{}
	if notModified {
		s.NotModified++
		return s, p.State.SaveFeed(ctx, st)
	}
	for _, it := range items {
		is, err := p.takeItem(ctx, feed, it)
		s.add(is)
		if err != nil {
			return s, err
		}
	}
	// The validators are saved only after every item was handled, so that
	// a round interrupted half-way polls the feed in full next time
	// instead of getting a 304 and losing the rest of its items.
	st.ETag, st.LastModified = etag, lastMod
	return s, p.State.SaveFeed(ctx, st)
}

// readFeed reads a feed file, or GETs a feed URL conditionally.
func (p *Poller) readFeed(ctx context.Context, feed string, st FeedState) (items []ingest.FeedItem, etag, lastMod string, notModified bool, err error) {
	if !isURL(feed) {
		items, err = ingest.LoadFeed(ctx, ingest.Source{Name: feed, Kind: ingest.KindFile}, nil, p.Options)
		return items, "", "", false, err
	}
	body, etag, lastMod, notModified, err := p.conditionalGet(ctx, feed, st)
	if err != nil || notModified {
		return nil, st.ETag, st.LastModified, notModified, err
	}
	items, err = ingest.ParseFeed(body)
	if err != nil {
		return nil, "", "", false, fmt.Errorf("%s: %w", feed, err)
	}
	base, _ := url.Parse(feed)
	for i := range items {
		items[i].Link = resolveLink(base, items[i].Link)
		if items[i].Outlet == "" && items[i].Link != "" {
			items[i].Outlet = ingest.Outlet(items[i].Link)
		}
	}
	return items, etag, lastMod, false, nil
}

// conditionalGet fetches a feed with its stored validators. 304 Not
// Modified gives notModified; other non-2xx statuses are errors. The body
// is capped like an article (Options.MaxBytes).
func (p *Poller) conditionalGet(ctx context.Context, feed string, st FeedState) (body []byte, etag, lastMod string, notModified bool, err error) {
	timeout := p.Options.Timeout
	if timeout <= 0 {
		timeout = ingest.DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, feed, nil)
	if err != nil {
		return nil, "", "", false, slant.Errorf(slant.EINVALID, "%s: %v", feed, err)
	}
	req.Header.Set("User-Agent", ingest.UserAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
	if st.ETag != "" {
		req.Header.Set("If-None-Match", st.ETag)
	}
	if st.LastModified != "" {
		req.Header.Set("If-Modified-Since", st.LastModified)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		msg := err.Error()
		if strings.Contains(msg, "non-public address") {
			msg += " (refused by default; use --allow-private to fetch from your own network)"
		}
		return nil, "", "", false, slant.Errorf(slant.EINVALID, "%s: %s", feed, msg)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return nil, "", "", true, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		code := slant.EINVALID
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone {
			code = slant.ENOTFOUND
		}
		return nil, "", "", false, slant.Errorf(code, "%s: HTTP %s", feed, resp.Status)
	}
	max := p.Options.MaxBytes
	if max <= 0 {
		max = ingest.DefaultMaxBytes
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, "", "", false, slant.Errorf(slant.EINVALID, "%s: reading the body: %v", feed, err)
	}
	if int64(len(body)) > max {
		return nil, "", "", false, slant.Errorf(slant.EINVALID, "%s: feed larger than %d bytes", feed, max)
	}
	return body, resp.Header.Get("ETag"), resp.Header.Get("Last-Modified"), false, nil
}

// takeItem stores one item unless it was taken before: the page at its
// link, else the feed's own content.
func (p *Poller) takeItem(ctx context.Context, feed string, it ingest.FeedItem) (Stats, error) {
	s := Stats{Items: 1}
	keys := ItemKeys(feed, it)
	if len(keys) == 0 {
		s.Skipped++
		p.logf("feeds: skipped an item of %s: no link, GUID or title to know it by", feed)
		return s, nil
	}
	seen, err := p.State.Seen(ctx, keys)
	if err != nil || seen {
		if seen {
			s.Seen++
		}
		return s, err
	}
	if p.Publish != nil {
		return p.publish(ctx, feed, it, keys, s)
	}
	a, fromFeed, err := p.article(ctx, feed, it)
	if err != nil {
		if ctx.Err() != nil {
			return s, ctx.Err()
		}
		// Not marked seen: a page that is down now is tried again next
		// round.
		s.Skipped++
		p.logf("feeds: skipped %s", oneLine(err))
		return s, nil
	}
	if fromFeed {
		s.FromFeed++
	}
	out := Stored{Feed: feed, Title: a.Title, URL: a.URL, FromFeed: fromFeed}
	var found bool
	if tl, ok := p.Store.(textLookup); ok {
		if out.ID, found, err = tl.LookupText(ctx, a.Text); err != nil {
			return s, err
		}
	}
	if !found {
		r, err := pipeline.Analyze(ctx, p.Analyzers, a)
		if err != nil {
			if ctx.Err() != nil {
				return s, ctx.Err()
			}
			s.Skipped++
			p.logf("feeds: skipped %s: analyse: %s", itemName(it), oneLine(err))
			return s, nil
		}
		if out.ID, out.Created, err = p.Store.PutReport(ctx, r); err != nil {
			if slant.ErrorCode(err) == slant.EINVALID {
				s.Skipped++
				p.logf("feeds: skipped %s: %s", itemName(it), oneLine(err))
				return s, nil
			}
			return s, err
		}
	}
	if out.Created {
		s.Stored++
	} else {
		s.Unchanged++
	}
	if err := p.State.MarkSeen(ctx, feed, out.ID, p.now(), keys); err != nil {
		return s, err
	}
	if p.OnStored != nil {
		p.OnStored(out)
	}
	return s, nil
}

// publish hands a new item to the work queue and marks it seen, so that no
// later round queues it again.
func (p *Poller) publish(ctx context.Context, feed string, it ingest.FeedItem, keys []string, s Stats) (Stats, error) {
	if err := p.Publish(ctx, feed, it); err != nil {
		if slant.ErrorCode(err) == slant.EINVALID {
			s.Skipped++
			p.logf("feeds: skipped %s: %s", itemName(it), oneLine(err))
			return s, nil
		}
		return s, err
	}
	s.Stored++
	if err := p.State.MarkSeen(ctx, feed, "", p.now(), keys); err != nil {
		return s, err
	}
	if p.OnStored != nil {
		p.OnStored(Stored{Feed: feed, Title: it.Title, URL: it.Link, Created: true, Queued: true})
	}
	return s, nil
}

// article reads the item's article with ItemArticle, logging a page that
// could not be read.
func (p *Poller) article(ctx context.Context, feed string, it ingest.FeedItem) (slant.Article, bool, error) {
	a, fromFeed, err := ItemArticle(ctx, it, p.Options, func(msg string) { p.logf("feeds: %s", msg) })
	if err != nil {
		return a, fromFeed, fmt.Errorf("%w (from %s)", err, feed)
	}
	if a.Source == "" {
		a.Source = feed
	}
	return a, fromFeed, nil
}

// ItemKeys returns the keys an item is remembered by: its link normalised
// (scheme, "www.", tracking parameters and fragment dropped, as the store
// groups versions), and its GUID within the feed; the title within the
// feed only when it has neither. An item is taken once any key is seen.
func ItemKeys(feed string, it ingest.FeedItem) []string {
	var keys []string
	if l := strings.TrimSpace(it.Link); l != "" {
		keys = append(keys, "link:"+slant.Article{URL: l}.VersionKey())
	}
	if g := strings.TrimSpace(it.GUID); g != "" {
		keys = append(keys, "guid:"+feed+" "+g)
	}
	if len(keys) == 0 && strings.TrimSpace(it.Title) != "" {
		keys = append(keys, "title:"+feed+" "+strings.TrimSpace(it.Title))
	}
	return keys
}

// resolveLink makes a relative item link absolute against the feed's URL.
func resolveLink(base *url.URL, link string) string {
	if link == "" || base == nil || isURL(link) {
		return link
	}
	u, err := url.Parse(link)
	if err != nil {
		return link
	}
	return base.ResolveReference(u).String()
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

func itemName(it ingest.FeedItem) string {
	switch {
	case it.Link != "":
		return it.Link
	case it.Title != "":
		return fmt.Sprintf("%q", it.Title)
	}
	return it.GUID
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(slant.ErrorMessage(err)), " ")
}
