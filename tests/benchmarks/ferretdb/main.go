// Command ferretdb is a thin wrapper around FerretDB's embeddable package
// (github.com/FerretDB/FerretDB/ferretdb) running the SQLite backend.
//
// Building FerretDB's own cmd/ferretdb from the module proxy yields a binary
// that panics at start (its build/version/version.txt is not in the module
// zip); the embeddable package does not need that file.
//
// The embeddable package never creates a telemetry reporter and explicitly
// disables telemetry in its state provider, so nothing is ever sent out.
//
// Configuration: flags, each with an environment variable fallback:
//
//	-listen     FERRETDB_LISTEN_ADDR  (default 127.0.0.1:27017)
//	-sqlite-dir FERRETDB_SQLITE_DIR   (default ./data; created if missing)
//	-log-level  FERRETDB_LOG_LEVEL    (debug, info, warn, error; default info)
//
// Logs go to stderr. SIGTERM or SIGINT stops the listener, waits for open
// connections to finish and closes the SQLite databases before exiting 0.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	err := l.UnmarshalText([]byte(strings.ToUpper(strings.TrimSpace(s))))
	return l, err
}

func main() {
	listen := flag.String("listen", envOr("FERRETDB_LISTEN_ADDR", "127.0.0.1:27017"), "TCP listen address (host:port)")
	sqliteDir := flag.String("sqlite-dir", envOr("FERRETDB_SQLITE_DIR", "data"), "directory holding the SQLite databases (created if missing)")
	logLevel := flag.String("log-level", envOr("FERRETDB_LOG_LEVEL", "info"), "log level: debug, info, warn, error")
	flag.Parse()

	level, err := parseLevel(*logLevel)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: invalid log level %q: %s\n", *logLevel, err)
		os.Exit(2)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	if err := run(logger, *listen, *sqliteDir); err != nil {
		logger.Error("ferretdb failed", "error", err)
		os.Exit(1)
	}
}

func run(logger *slog.Logger, listen, sqliteDir string) error {
	dir, err := filepath.Abs(sqliteDir)
	if err != nil {
		return fmt.Errorf("sqlite dir: %w", err)
	}
	if err = os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("sqlite dir: %w", err)
	}

	// FerretDB wants a "file:" URI naming a directory, with a trailing slash.
	sqliteURL := (&url.URL{Scheme: "file", Path: dir + "/", OmitHost: true}).String()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	logger.Info("FerretDB (embedded, v1.24.2, SQLite backend) starting",
		"listen", listen, "sqlite_url", sqliteURL, "pid", os.Getpid())

	if err = f.Run(ctx); err != nil {
		return err
	}

	logger.Info("FerretDB stopped cleanly")
	return nil
}
