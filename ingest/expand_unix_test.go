//go:build unix

package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestExpandReportsUnreadableEntries is the regression test for a directory
// walk that dropped a broken symbolic link and a fifo named like articles in
// silence: the user believed every file was analysed. Each must be one error,
// and the good files must still be taken.
func TestExpandReportsUnreadableEntries(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "Ferry strike ends\n\nBoats run again.\n"})
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "broken.txt")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	fifo := filepath.Join(dir, "pipe.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no fifos here:", err)
	}
	// Not named like an article: ignored like any other non-article file.
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "broken.png")); err != nil {
		t.Fatal(err)
	}
	srcs, errs := Expand([]string{dir})
	if len(srcs) != 1 || filepath.Base(srcs[0].Name) != "a.txt" {
		t.Errorf("sources = %v, want only a.txt", srcs)
	}
	want := []string{"broken.txt: broken symbolic link", "pipe.txt: not a regular file (a named pipe)"}
	if len(errs) != len(want) {
		t.Fatalf("errors = %v, want %d", errs, len(want))
	}
	for i, w := range want {
		if msg := errs[i].Error(); !strings.HasSuffix(msg, w) || strings.Contains(msg, "\n") {
			t.Errorf("error %d = %q, want one line ending %q", i, msg, w)
		}
	}
}

// TestLoadEmptyFile is the regression test for an empty file that gave an
// empty report instead of saying the file holds no text.
func TestLoadEmptyFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"empty.txt": "", "blank.txt": "\n \r\n\t\n", "ok.txt": "x"})
	for _, name := range []string{"empty.txt", "blank.txt"} {
		_, err := Load(context.Background(), Source{Name: filepath.Join(dir, name)}, nil, Options{})
		if err == nil || !strings.Contains(err.Error(), "empty, no text to analyse") {
			t.Errorf("%s: err = %v, want empty", name, err)
		}
	}
	if _, err := Load(context.Background(), Source{Name: filepath.Join(dir, "ok.txt")}, nil, Options{}); err != nil {
		t.Errorf("ok.txt: %v", err)
	}
}
