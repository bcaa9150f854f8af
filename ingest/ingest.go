// Package ingest turns a user's inputs — SemEval-style .txt files, plain
// text, directories, standard input, HTML pages on disk or fetched from an
// http(s) URL, and RSS/Atom feeds — into slant.Article values.
//
// The text of a text file is kept exactly as read: it is only decoded to
// UTF-8 (UTF-16 with a byte order mark, or Windows-1252 when the bytes are
// not valid UTF-8), never trimmed, normalised or re-wrapped, because every
// annotation offset is taken into it. For HTML the canonical text is built
// once by the extractor (title line, blank line, one paragraph per line) and
// is never altered afterwards either.
//
// Sources are read under limits (Options.MaxBytes, Options.Timeout) so that a
// huge file or a slow server cannot take the process down, and URL fetching
// refuses private, loopback and link-local addresses at dial time unless
// Options.AllowPrivate is set.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/slant-news/slant"
)

// Defaults used when the matching Options field is zero.
const (
	// DefaultMaxBytes caps the size of one article (file, stdin or fetched
	// page) at 10 MB.
	DefaultMaxBytes int64 = 10 << 20
	// DefaultTimeout bounds a whole URL fetch: connect, redirects, headers
	// and body.
	DefaultTimeout = 30 * time.Second
	// UserAgent is sent with every request so publishers can tell who asks.
	UserAgent = "slant/0.1 (+news analysis)"
)

// Options tunes Load and Fetch. The zero value is ready to use.
type Options struct {
	// AllowPrivate lets URL fetches connect to loopback, private (RFC 1918,
	// fc00::/7), link-local, unspecified and multicast addresses, which are
	// refused by default so that a URL cannot reach the local network.
	AllowPrivate bool
	// MaxBytes caps the size of one article in bytes; 0 means
	// DefaultMaxBytes. Larger inputs are rejected, never read whole.
	MaxBytes int64
	// Timeout bounds one URL fetch from dial to the last body byte; 0
	// means DefaultTimeout.
	Timeout time.Duration
	// Outlet, when set, is the outlet of every article loaded, overriding
	// what the page or URL says.
	Outlet string
	// Client, when set, is used for URL fetches as is. Build it with
	// NewClient to keep the address checks and redirect limit; a client of
	// your own bypasses them.
	Client *http.Client
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

// Source kinds.
const (
	KindFile  = "file"  // a file on disk, Name is its path
	KindStdin = "stdin" // standard input, Name is "-"
	KindURL   = "url"   // an http(s) URL, Name is the URL
)

// Source is one input to load: a file, standard input or a URL.
type Source struct {
	// Name is the path, the URL or "-".
	Name string
	// Kind is KindFile, KindStdin or KindURL; "" means KindFile.
	Kind string
}

// articleExts are the file name extensions taken from a directory; files
// without an extension are taken too, since plain notes and some scraped
// corpora have none.
var articleExts = map[string]bool{".txt": true, ".text": true, ".md": true, ".html": true, ".htm": true}

// projectFiles are the base names, upper-cased and without extension, of
// the files that describe a folder rather than report news (README.md,
// LICENSE...): in a directory they are not articles. slant's own examples/
// has a README.md, which "slant analyze examples/" analysed as an article.
var projectFiles = map[string]bool{
	"README": true, "LICENSE": true, "LICENCE": true, "COPYING": true, "NOTICE": true,
	"CHANGELOG": true, "CHANGES": true, "CONTRIBUTING": true, "AUTHORS": true,
}

// Expand turns command-line arguments into sources in a deterministic order:
// arguments in the order given, and inside a directory every article file in
// lexical order of its path, recursively. Hidden files and directories (name
// starting with ".") are skipped, and in directories only files ending in
// .txt .text .md .html .htm or with no extension are taken; a file named
// explicitly is always taken. Files that describe the folder (README,
// LICENSE, CHANGELOG... with any extension) are skipped in directories too.
// "-" is standard input; http:// and https://
// arguments are URLs. A bad argument (missing path, unreadable or empty
// directory, malformed URL) yields one error in errs and does not stop the
// others.
func Expand(args []string) (srcs []Source, errs []error) {
	for _, arg := range args {
		switch {
		case arg == "-":
			srcs = append(srcs, Source{Name: "-", Kind: KindStdin})
		case isURL(arg):
			if err := checkURL(arg); err != nil {
				errs = append(errs, err)
				continue
			}
			srcs = append(srcs, Source{Name: arg, Kind: KindURL})
		case hasOtherScheme(arg):
			// "ftp://host/file" is no path on disk; "no such file" would
			// send the user looking for a file.
			errs = append(errs, slant.Errorf(slant.EUNSUPPORTED, "%s: only http:// and https:// URLs can be fetched", arg))
		default:
			found, bad := expandPath(arg)
			srcs = append(srcs, found...)
			errs = append(errs, bad...)
		}
	}
	return srcs, errs
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// hasOtherScheme reports whether s looks like a URL of a scheme other than
// http(s) ("ftp://...", "file:///..."), and is not an existing path.
func hasOtherScheme(s string) bool {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || rest == "" || scheme == "" {
		return false
	}
	for _, r := range scheme {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	_, err := os.Lstat(s)
	return err != nil
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return slant.Errorf(slant.EINVALID, "%s: not a valid http(s) URL", s)
	}
	return nil
}

// expandPath returns the article files of one path argument, and one error
// per entry that looks like an article but cannot be read (a broken
// symbolic link, a fifo or device, an unreadable subdirectory): those are
// reported rather than dropped in silence, and do not stop the walk.
func expandPath(arg string) ([]Source, []error) {
	fi, err := os.Stat(arg)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, []error{slant.Errorf(slant.ENOTFOUND, "%s: no such file or directory", arg)}
		}
		return nil, []error{fmt.Errorf("%s: %w", arg, err)}
	}
	if !fi.IsDir() {
		return []Source{{Name: arg, Kind: KindFile}}, nil
	}
	var (
		out  []Source
		errs []error
	)
	// WalkDir visits entries in lexical order, which makes the order of
	// articles (and so of every output line) reproducible across machines.
	err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == arg {
				return err
			}
			// One unreadable subdirectory must not hide the rest of the
			// corpus: report it and go on.
			errs = append(errs, fmt.Errorf("%s: %w", p, unwrapPathError(err)))
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if p != arg && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		ext := strings.ToLower(filepath.Ext(name))
		if ext != "" && !articleExts[ext] {
			return nil
		}
		if projectFiles[strings.ToUpper(strings.TrimSuffix(name, filepath.Ext(name)))] {
			return nil
		}
		if !d.Type().IsRegular() {
			// A symlink counts when it points at a regular file. A broken
			// link, a fifo (reading it would block), a socket or a device
			// named like an article is reported, so that a user does not
			// think a file was analysed when it was not.
			if d.Type()&fs.ModeSymlink == 0 {
				errs = append(errs, slant.Errorf(slant.EINVALID, "%s: not a regular file (%s)", p, fileKind(d.Type())))
				return nil
			}
			st, err := os.Stat(p)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					errs = append(errs, slant.Errorf(slant.ENOTFOUND, "%s: broken symbolic link", p))
				} else {
					errs = append(errs, fmt.Errorf("%s: %w", p, unwrapPathError(err)))
				}
				return nil
			}
			if st.IsDir() {
				// A link to a directory is not followed (WalkDir does not
				// either), which also keeps link cycles out.
				return nil
			}
			if !st.Mode().IsRegular() {
				errs = append(errs, slant.Errorf(slant.EINVALID, "%s: not a regular file (%s)", p, fileKind(st.Mode().Type())))
				return nil
			}
		}
		out = append(out, Source{Name: p, Kind: KindFile})
		return nil
	})
	if err != nil {
		return out, append(errs, fmt.Errorf("%s: %w", arg, unwrapPathError(err)))
	}
	if len(out) == 0 && len(errs) == 0 {
		return nil, []error{slant.Errorf(slant.ENOTFOUND, "%s: no article files (.txt .text .md .html .htm) in directory", arg)}
	}
	return out, errs
}

// named prefixes err with the source name. A *slant.Error is rebuilt with
// the name in its message, since its message is what the user is shown
// (slant.ErrorMessage) and a plain %w wrap around it would drop the name:
// "skipped: no article text found in the HTML page" named no file.
func named(name string, err error) error {
	var se *slant.Error
	if errors.As(err, &se) {
		return slant.Errorf(se.Code, "%s: %s", name, se.Message)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// unwrapPathError drops the Op and Path of an *fs.PathError, since the
// message already names the path.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// fileKind names a non-regular file type for an error message.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	default:
		return "mode " + m.String()
	}
}

// Load reads one source into an article. stdin is read for a KindStdin
// source. Errors are one line, carry a slant error code where the cause is
// the input (slant.EINVALID for binary, oversized or undecodable input,
// slant.ENOTFOUND for a missing file, slant.EUNSUPPORTED for a URL that is
// not a page), and name the source.
func Load(ctx context.Context, src Source, stdin io.Reader, opt Options) (slant.Article, error) {
	if err := ctx.Err(); err != nil {
		return slant.Article{}, fmt.Errorf("%s: %w", src.Name, err)
	}
	var (
		a   slant.Article
		err error
	)
	switch src.Kind {
	case KindStdin:
		if stdin == nil {
			return slant.Article{}, slant.Errorf(slant.EINVALID, "-: no standard input")
		}
		a, err = loadReader(src.Name, stdin, -1, opt)
	case KindURL:
		a, err = loadURL(ctx, src.Name, opt)
	case KindFile, "":
		a, err = loadFile(src.Name, opt)
	default:
		return slant.Article{}, slant.Errorf(slant.EINVALID, "%s: unknown source kind %q", src.Name, src.Kind)
	}
	if err != nil {
		return slant.Article{}, err
	}
	if opt.Outlet != "" {
		a.Outlet = opt.Outlet
	}
	return a, nil
}

func loadFile(path string, opt Options) (slant.Article, error) {
	f, size, err := openFile(path)
	if err != nil {
		return slant.Article{}, err
	}
	defer f.Close()
	return loadReader(path, f, size, opt)
}

// openFile opens a file to read and returns its size, or -1 when it is not
// a regular file (a fifo, a device) and the size is not known in advance.
func openFile(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, 0, slant.Errorf(slant.ENOTFOUND, "%s: no such file", path)
		}
		return nil, 0, fmt.Errorf("read %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("read %s: %w", path, err)
	}
	if fi.IsDir() {
		f.Close()
		return nil, 0, slant.Errorf(slant.EINVALID, "%s: is a directory (expand it with Expand)", path)
	}
	if !fi.Mode().IsRegular() {
		return f, -1, nil
	}
	return f, fi.Size(), nil
}

// loadReader reads at most opt.MaxBytes from r (size is the known size, or
// -1) and parses it as HTML or text depending on the name and the content.
func loadReader(name string, r io.Reader, size int64, opt Options) (slant.Article, error) {
	data, err := readCapped(name, r, size, opt.maxBytes())
	if err != nil {
		return slant.Article{}, err
	}
	if !isTextName(name) && !isHTMLName(name) && looksLikeFeed(data) {
		// Read as text, a feed file gives a report on its XML markup.
		return slant.Article{}, slant.Errorf(slant.EUNSUPPORTED, "%s: is a news feed (RSS/Atom), not an article", name)
	}
	if isHTMLName(name) || (!isTextName(name) && looksLikeHTML(data)) {
		a, err := parseHTML(data, "", "")
		if err != nil {
			return slant.Article{}, named(name, err)
		}
		a.ID = idFromName(name)
		a.Source = name
		return a, nil
	}
	a, err := ParseText(name, data)
	if err != nil {
		return slant.Article{}, err
	}
	if strings.TrimSpace(a.Text) == "" {
		// An empty file is almost always a mistake (a failed download, a
		// truncated copy); an empty report for it would hide that.
		return slant.Article{}, slant.Errorf(slant.EINVALID, "%s: empty, no text to analyse", name)
	}
	return a, nil
}

// readCapped reads r whole unless it is larger than max bytes, in which case
// it stops reading at max+1 bytes and returns a one-line error. size is the
// size when known (a regular file), else -1.
func readCapped(name string, r io.Reader, size, max int64) ([]byte, error) {
	if size > max {
		return nil, tooLarge(name, size, max)
	}
	lr := io.LimitReader(r, max+1)
	// As os.ReadFile does: one allocation when the size is known (+1 so
	// that EOF is seen without growing), doubling from 512 bytes otherwise.
	n := int64(512)
	if size >= 0 {
		n = size + 1
	}
	data := make([]byte, 0, n)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		k, err := lr.Read(data[len(data):cap(data)])
		data = data[:len(data)+k]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
	}
	if int64(len(data)) > max {
		return nil, tooLarge(name, -1, max)
	}
	return data, nil
}

func tooLarge(name string, size, max int64) error {
	if size >= 0 {
		return slant.Errorf(slant.EINVALID, "%s: %d bytes is larger than the %d-byte limit per article", name, size, max)
	}
	return slant.Errorf(slant.EINVALID, "%s: larger than the %d-byte limit per article", name, max)
}

func isHTMLName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".html" || ext == ".htm" || ext == ".xhtml"
}

func isTextName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".txt" || ext == ".text" || ext == ".md"
}
