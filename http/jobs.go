package http

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/pipeline"
)

// MaxJobArticles bounds the articles of one batch job.
const MaxJobArticles = 1000

// Job states.
const (
	jobQueued    = "queued"
	jobRunning   = "running"
	jobDone      = "done"
	jobCancelled = "cancelled"
)

// jobRequest is the body of POST /api/v1/jobs.
type jobRequest struct {
	Articles []articleRequest `json:"articles"`
	// Store keeps every report in the store (as each article's own
	// "store" field would).
	Store bool `json:"store"`
}

// jobResult is the outcome of one article of a job.
type jobResult struct {
	Index  int           `json:"index"`
	ID     string        `json:"id,omitempty"`
	Stored bool          `json:"stored,omitempty"`
	Report *slant.Report `json:"report,omitempty"`
	Error  *errorDetail  `json:"error,omitempty"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// job is a batch analysis running in the background.
type job struct {
	ID       string      `json:"id"`
	Status   string      `json:"status"`
	Total    int         `json:"total"`
	Done     int         `json:"done"`
	Failed   int         `json:"failed"`
	Created  time.Time   `json:"created"`
	Finished *time.Time  `json:"finished,omitempty"`
	Results  []jobResult `json:"results"`
}

// jobQueue runs batch jobs one at a time (each on every core) and keeps
// the last max of them for polling.
type jobQueue struct {
	ctx  context.Context
	max  int
	run  chan struct{} // one slot: the job running
	mu   sync.Mutex
	jobs map[string]*job
	ids  []string // oldest first
}

func newJobQueue(ctx context.Context, max int) *jobQueue {
	return &jobQueue{ctx: ctx, max: max, run: make(chan struct{}, 1), jobs: map[string]*job{}}
}

// add registers a job, forgetting the oldest finished one when full. It
// returns a CONFLICT error when every kept job is still unfinished.
func (q *jobQueue) add(total int) (*job, error) {
	var b [8]byte
	rand.Read(b[:])
	j := &job{ID: hex.EncodeToString(b[:]), Status: jobQueued, Total: total, Created: time.Now().UTC(), Results: []jobResult{}}
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.ids) >= q.max {
		evicted := false
		for i, id := range q.ids {
			if st := q.jobs[id].Status; st == jobDone || st == jobCancelled {
				delete(q.jobs, id)
				q.ids = append(q.ids[:i], q.ids[i+1:]...)
				evicted = true
				break
			}
		}
		if !evicted {
			return nil, slant.Errorf(slant.ECONFLICT, "%d jobs are still running or queued; poll them and try again later", len(q.ids))
		}
	}
	q.jobs[j.ID] = j
	q.ids = append(q.ids, j.ID)
	return j, nil
}

// snapshot returns a copy of job id safe to encode while it runs.
func (q *jobQueue) snapshot(id string) (job, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	j, ok := q.jobs[id]
	if !ok {
		return job{}, false
	}
	c := *j
	// A copy, never nil: a job with no results yet still lists [] in JSON.
	c.Results = append(make([]jobResult, 0, len(j.Results)), j.Results...)
	return c, true
}

func (q *jobQueue) update(j *job, f func(j *job)) {
	q.mu.Lock()
	defer q.mu.Unlock()
	f(j)
}

func (s *server) handleJobCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, s.opt.MaxBodyBytes)
		var req jobRequest
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			s.writeError(w, r, bodyError("JSON body", err))
			return
		}
		switch n := len(req.Articles); {
		case n == 0:
			s.writeError(w, r, slant.Errorf(slant.EINVALID, "a job needs at least one article in \"articles\""))
			return
		case n > MaxJobArticles:
			s.writeError(w, r, slant.Errorf(slant.EINVALID, "a job takes at most %d articles, got %d; split it", MaxJobArticles, n))
			return
		}
		if req.Store && s.opt.Store == nil {
			s.writeError(w, r, slant.Errorf(slant.EUNSUPPORTED, "this server has no store; send the job without store"))
			return
		}
		j, err := s.jobs.add(len(req.Articles))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		go s.runJob(j, req)
		snap, _ := s.jobs.snapshot(j.ID)
		w.Header().Set("Location", "/api/v1/jobs/"+j.ID)
		writeJSON(w, http.StatusAccepted, snap)
	})
}

// runJob analyses a job's articles in the background; the request that
// created it has long returned, so it runs under the server's context.
func (s *server) runJob(j *job, req jobRequest) {
	q := s.jobs
	select {
	case q.run <- struct{}{}:
	case <-q.ctx.Done():
		q.update(j, func(j *job) { j.Status = jobCancelled })
		return
	}
	defer func() { <-q.run }()
	q.update(j, func(j *job) { j.Status = jobRunning })

	jobs := make([]pipeline.Job, len(req.Articles))
	for i, ar := range req.Articles {
		ar.Store = ar.Store || req.Store
		jobs[i] = pipeline.Job{Name: "article " + strconv.Itoa(i), Load: func(ctx context.Context) (slant.Article, error) {
			return s.article(ctx, ar)
		}}
	}
	err := pipeline.Run(q.ctx, s.opt.Analyzers, jobs, runtime.NumCPU(), func(res pipeline.Result) error {
		out := jobResult{Index: res.Index}
		err := res.Err
		if err == nil {
			out.ID, out.Report = res.Report.Article.ID, res.Report
			if req.Articles[res.Index].Store || req.Store {
				id, _, perr := s.opt.Store.PutReport(q.ctx, res.Report)
				if perr != nil {
					err, out.ID, out.Report = perr, "", nil
				} else {
					out.ID, out.Stored = id, true
					res.Report.Article.ID = id
				}
			}
		}
		if err != nil {
			status, code := errorStatus(err)
			msg := slant.ErrorMessage(err)
			if status >= 500 {
				s.log.Error("job article failed", "job", j.ID, "index", res.Index, "err", err)
				msg = "internal error; the server log has the details"
			}
			out.Error = &errorDetail{Code: code, Message: msg}
		}
		q.update(j, func(j *job) {
			j.Results = append(j.Results, out)
			j.Done++
			if out.Error != nil {
				j.Failed++
			}
		})
		return nil
	})
	now := time.Now().UTC()
	q.update(j, func(j *job) {
		j.Status, j.Finished = jobDone, &now
		if err != nil {
			j.Status = jobCancelled
		}
	})
}

func (s *server) handleJobGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		j, ok := s.jobs.snapshot(r.PathValue("id"))
		if !ok {
			s.writeError(w, r, slant.Errorf(slant.ENOTFOUND, "no job %q (jobs are kept in memory until the server restarts)", r.PathValue("id")))
			return
		}
		writeJSON(w, http.StatusOK, j)
	})
}
