package sqlite

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slant-news/slant"
	"github.com/slant-news/slant/storetest"
)

// crashEnv names the database a helper process ingests into; it is set
// only in the child that TestKillDuringIngest starts.
const crashEnv = "SLANT_SQLITE_CRASH_DB"

// crashAtEnv, when set in the child, names the point inside PutReport's
// transaction ("article", "commit") where the child kills itself.
const crashAtEnv = "SLANT_SQLITE_CRASH_AT"

const (
	crashArticles = 240 // the whole ingest job
	crashPerRound = 15  // new articles a child reports before it is killed
	crashRounds   = 6
)

// crashReport is article i of the crash test's job. Pairs of articles share
// a URL, so the job also exercises versions; each has several label rows so
// that a transaction has many statements to be killed between.
func crashReport(i int) *slant.Report {
	techs := []string{"Loaded_Language", "Doubt", "Flag_Waving", "Repetition", "Slogans"}[:1+i%5]
	return storetest.Article{
		Title:      fmt.Sprintf("Harbour report %d", i),
		Body:       strings.Repeat(fmt.Sprintf("Dockworkers in Quarry Bay number %d talked until late. ", i), 200) + fmt.Sprintf("marker%dword", i),
		URL:        fmt.Sprintf("https://harbour.example/story/%d", i/2),
		Outlet:     "harbour.example",
		Techniques: append(techs, techs...),
		Narratives: [][2]string{{"N1", "N1: A"}, {"N1", "N1: B"}, {"N2", ""}},
	}.Report()
}

// TestIngestHelperProcess is not a test on its own: TestKillDuringIngest
// runs the test binary again with crashEnv set, and this function then
// ingests the whole job, printing a line per stored article, until killed.
func TestIngestHelperProcess(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("helper process for TestKillDuringIngest")
	}
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// In the deterministic rounds the child kills itself inside the
	// transaction of its crashPerRound-th new article.
	if stage := os.Getenv(crashAtEnv); stage != "" {
		n := 0
		testHookPut = func(at string) {
			if at != stage {
				return
			}
			if n++; n == crashPerRound {
				self, _ := os.FindProcess(os.Getpid())
				self.Kill()
				select {} // the kill is asynchronous; never reach the commit
			}
		}
	}
	for i := range crashArticles {
		id, created, err := s.PutReport(ctx, crashReport(i))
		if err != nil {
			t.Fatal(err)
		}
		if created {
			fmt.Printf("stored %d %s\n", i, id)
		}
	}
	s.Close()
}

// TestKillDuringIngest kills (SIGKILL) a process in the middle of an ingest
// several times, and checks after each kill that the database is intact
// and holds only whole articles, then that re-running the job completes it
// without duplicates.
func TestKillDuringIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crash.db")
	stored := 0
	// The random rounds kill the child wherever it happens to be; the
	// last two kill it at chosen points inside a transaction, so that a
	// transaction split in two cannot pass by luck.
	stages := make([]string, crashRounds)
	stages = append(stages, "article", "commit")
	for round, stage := range stages {
		cmd := exec.Command(os.Args[0], "-test.run=^TestIngestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+path, crashAtEnv+"="+stage)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill as soon as the child reports its crashPerRound-th new
		// article: it is then already inside the next transaction or
		// about to be, and the kill lands wherever it happens to be. A
		// child with a stage kills itself first, and the pipe ends.
		sc := bufio.NewScanner(out)
		n := 0
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "stored ") {
				n++
			}
			if n == crashPerRound {
				break
			}
		}
		// On a starved machine the child may have finished the job
		// already; that is not a failure, only a round without a kill.
		if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Fatal(err)
		}
		cmd.Wait()
		stored += n
		want := crashPerRound
		if stage != "" {
			// It dies inside the transaction of that article.
			want = crashPerRound - 1
		}
		if n < want {
			t.Fatalf("round %d: child stored only %d articles before exiting", round, n)
		}

		// Reopening must recover from the WAL and find only complete
		// articles.
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		checkConsistent(t, s, fmt.Sprintf("after kill %d", round+1))
		got := count(t, s, "SELECT count(*) FROM articles")
		// The child runs ahead of what we have read from the pipe, so
		// more may be stored than reported, never fewer.
		if got < stored {
			t.Fatalf("round %d: %d articles stored, child reported %d", round, got, stored)
		}
		stored = got
		s.Close()
	}

	// Re-run the whole job to completion.
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	created := 0
	for i := range crashArticles {
		id, c, err := s.PutReport(ctx, crashReport(i))
		if err != nil {
			t.Fatal(err)
		}
		if c {
			created++
		}
		if want := slant.TextHash(crashReport(i).Article.Text)[:idLen]; id != want {
			t.Fatalf("article %d: id %s, want %s", i, id, want)
		}
	}
	if created+stored != crashArticles {
		t.Errorf("re-run created %d articles after %d survived the kills; want %d in all", created, stored, crashArticles)
	}
	checkConsistent(t, s, "after re-run")
	if n := count(t, s, "SELECT count(*) FROM articles"); n != crashArticles {
		t.Fatalf("%d articles after re-run, want %d", n, crashArticles)
	}
	// Each URL holds exactly the versions 1 and 2.
	if n := count(t, s, "SELECT count(*) FROM (SELECT url_norm FROM articles GROUP BY url_norm HAVING count(*) = 2 AND min(version) = 1 AND max(version) = 2)"); n != crashArticles/2 {
		t.Errorf("%d URLs with versions 1 and 2, want %d", n, crashArticles/2)
	}
	for _, i := range []int{0, crashArticles / 2, crashArticles - 1} {
		got, err := s.Articles(ctx, slant.ArticleFilter{Query: fmt.Sprintf("marker%dword", i)})
		if err != nil || len(got) != 1 {
			t.Errorf("search for article %d: %d hits, %v", i, len(got), err)
		}
	}
}

// checkConsistent asserts that the database passes SQLite's checks and that
// every stored article is whole: its report and all its label rows present.
func checkConsistent(t *testing.T, s *DB, when string) {
	t.Helper()
	ctx := context.Background()
	if err := s.Check(ctx); err != nil {
		t.Fatalf("%s: %v", when, err)
	}
	if n := count(t, s, "SELECT count(*) FROM articles a LEFT JOIN reports r ON r.article_id = a.id WHERE r.article_id IS NULL"); n != 0 {
		t.Fatalf("%s: %d articles without a report", when, n)
	}
	if n := count(t, s, "SELECT count(*) FROM articles a WHERE (SELECT count(*) FROM article_narratives n WHERE n.article_id = a.id) != 3"); n != 0 {
		t.Fatalf("%s: %d articles with missing narrative rows", when, n)
	}
	if n := count(t, s, "SELECT count(*) FROM articles WHERE seq NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'harbour')"); n != 0 {
		t.Fatalf("%s: %d articles missing from the full-text index", when, n)
	}
	arts, err := s.Articles(ctx, slant.ArticleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		r, err := s.Report(ctx, a.ID)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		wantTechs := len(r.TechniqueCounts())
		if n := count(t, s, "SELECT count(*) FROM article_techniques WHERE article_id = ?", a.ID); n != wantTechs || wantTechs == 0 {
			t.Fatalf("%s: article %s has %d technique rows, its report %d", when, a.ID, n, wantTechs)
		}
		if slant.TextHash(r.Article.Text) != a.Hash {
			t.Fatalf("%s: article %s text does not match its hash", when, a.ID)
		}
	}
}
