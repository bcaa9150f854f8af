// Package pgtest gives tests a throw-away PostgreSQL database: the server
// comes from $SLANT_TEST_POSTGRES (a DSN), else a server on the local
// default port; tests skip, saying so, when there is none.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env is the variable naming the test server.
const Env = "SLANT_TEST_POSTGRES"

// fallback is tried when Env is unset: a server on this machine.
const fallback = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Server returns the DSN of the test server's maintenance database, or
// skips t when no server is reachable.
func Server(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(Env)
	from := Env
	if dsn == "" {
		dsn, from = fallback, "the local default port"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		if os.Getenv(Env) == "" {
			t.Skipf("no PostgreSQL: set %s to a DSN (postgres://user@host:port/db) to run this test (%s: %v)", Env, from, err)
		}
		t.Fatalf("%s is set but the server does not answer: %v", Env, err)
	}
	conn.Close(ctx)
	return dsn
}

// DB creates a throw-away database on the test server and returns its DSN;
// it is dropped when the test ends.
func DB(t testing.TB) string {
	t.Helper()
	admin := Server(t)
	var b [6]byte
	rand.Read(b[:])
	name := "slant_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// The name is ours (hex), so quoting it as an identifier is enough.
	if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE DATABASE %q", name)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Logf("drop test database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %q WITH (FORCE)", name)); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	return WithDatabase(t, admin, name)
}

// WithDatabase returns dsn with its database replaced by name.
func WithDatabase(t testing.TB, dsn, name string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		t.Fatalf("%s must be a postgres:// URL, got %q", Env, dsn)
	}
	u.Path = "/" + name
	return u.String()
}
