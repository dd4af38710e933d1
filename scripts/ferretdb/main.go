// Command ferretdb runs the embedded FerretDB 1.24 server used in development
// (SQLite backend) and in tests and benchmarks (PostgreSQL backend).
//
// It is built from the project's own module because FerretDB's own command,
// when installed with `go install`, panics at start-up over a missing version file.
// Usage:
//
//	ferretdb -listen 127.0.0.1:27018 -handler sqlite -sqlite-url file:.data/db/
//	ferretdb -listen 127.0.0.1:0 -handler postgresql -postgresql-url postgres://postgres@127.0.0.1:5432/ocop_test
//
// Once listening it prints one line "ready <mongodb uri>" on stdout, so a parent
// process learns the port when the OS picked it. SIGTERM or SIGINT stop it. It keeps
// companion indexes next to FerretDB's own (companion.go); SIGUSR1 makes it add any
// missing ones now and print "indexed" when done.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	// The SQLite files hold the whole registry, keys' hashes and scans: owner only.
	syscall.Umask(0o077)

	listen := flag.String("listen", "127.0.0.1:27018", "TCP address to listen on (port 0 picks a free one)")
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	sqliteURL := flag.String("sqlite-url", "file:.data/db/", "SQLite folder URL (the folder must exist)")
	pgURL := flag.String("postgresql-url", "", "PostgreSQL URL (the database must exist)")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb: bad -log-level:", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	conf := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Handler:  *handler,
		Logger:   logger,
	}
	switch *handler {
	case "sqlite":
		conf.SQLiteURL = *sqliteURL
	case "postgresql":
		conf.PostgreSQLURL = *pgURL
	default:
		fmt.Fprintln(os.Stderr, "ferretdb: -handler must be sqlite or postgresql")
		os.Exit(2)
	}

	f, err := ferretdb.New(conf)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// The indexes FerretDB's own queries can use (see companion.go): those of existing
	// collections first, before any client can write (on a large SQLite database built by
	// an older version this takes a while, and a write waiting for it would time out);
	// then new collections' as they come. SIGUSR1 asks for a pass now.
	companion, err := newCompanion(ctx, *handler, *sqliteURL, *pgURL, logger)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
	if err := companion.ensure(ctx); err != nil {
		logger.Warn("companion indexes: will try again", "error", err)
	}
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	go companion.maintain(ctx, usr1)

	done := make(chan struct{})
	go func() {
		_ = f.Run(ctx) // always nil: it serves until ctx is cancelled
		close(done)
	}()

	// MongoDBURI blocks until the listener is bound, so the printed port is real.
	fmt.Println("ready", f.MongoDBURI())
	<-done
}
