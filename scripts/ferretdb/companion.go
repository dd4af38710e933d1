package main

// Companion indexes.
//
// FerretDB 1.24 creates the indexes a client declares, but its own queries cannot use
// them (seen with EXPLAIN on both backends):
//
//   - SQLite: it hands only a lone `_id` equality to SQLite, as
//     `_ferretdb_sjson->'$._id' = ?`, while its `_id` index is on
//     `_ferretdb_sjson->"_id"`: another expression, so SQLite scans the whole table.
//   - PostgreSQL: it hands top-level equalities to PostgreSQL as
//     `_jsonb->'field' @> '"value"'` (containment, so that arrays match as in MongoDB),
//     while its indexes are btree on `(_jsonb->'field')`, which serve = and ranges but
//     not @>: every query is a sequential scan.
//
// So this server adds, next to FerretDB's own, the indexes its queries do use: on
// SQLite an index on `_ferretdb_sjson->'$._id'` for every collection; on PostgreSQL a
// GIN (jsonb_path_ops) index on `_id` and on the first field of every declared index.
// Existing collections get them before the server accepts clients (a database built by
// an older version, once, on its first start: seconds per million documents); then it
// looks for new collections every few seconds (FerretDB makes tables as collections are
// first written), which get theirs while still nearly empty.
//
// FerretDB does not know these indexes: they do not appear in listIndexes, and they go
// with their table when FerretDB drops a collection or a database.

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

// companionEvery is how often new collections are looked for.
const companionEvery = 2 * time.Second

type companion struct {
	ensure func(context.Context) error
	close  func()
	logger *slog.Logger
}

// newCompanion prepares the passes for the backend (a PostgreSQL pool is opened here).
func newCompanion(ctx context.Context, handler, sqliteURL, pgURL string, logger *slog.Logger) (*companion, error) {
	c := &companion{close: func() {}, logger: logger}
	switch handler {
	case "sqlite":
		dir := strings.TrimPrefix(strings.SplitN(sqliteURL, "?", 2)[0], "file:")
		c.ensure = func(ctx context.Context) error { return ensureSQLite(ctx, dir, logger) }
	case "postgresql":
		pool, err := pgxpool.New(ctx, pgURL)
		if err != nil {
			return nil, fmt.Errorf("companion indexes: %w", err)
		}
		c.ensure = func(ctx context.Context) error { return ensurePostgreSQL(ctx, pool, logger) }
		c.close = pool.Close
	default:
		c.ensure = func(context.Context) error { return nil }
	}
	return c, nil
}

// maintain adds companion indexes until ctx is cancelled: every companionEvery, and at
// once on a signal on `now` (SIGUSR1), after which it prints one line "indexed" on
// stdout so that the parent process knows the pass is done.
func (c *companion) maintain(ctx context.Context, now <-chan os.Signal) {
	defer c.close()
	for {
		asked := false
		select {
		case <-ctx.Done():
			return
		case <-now:
			asked = true
		case <-time.After(companionEvery):
		}
		if err := c.ensure(ctx); err != nil && ctx.Err() == nil {
			c.logger.Warn("companion indexes: will try again", "error", err)
		}
		if asked {
			fmt.Println("indexed")
		}
	}
}

// ensureSQLite adds the `_id` index to every collection of every database file in dir.
func ensureSQLite(ctx context.Context, dir string, logger *slog.Logger) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
	if err != nil {
		return err
	}
	for _, file := range files {
		if err := ensureSQLiteFile(ctx, file, logger); err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(file), err)
		}
	}
	return nil
}

func ensureSQLiteFile(ctx context.Context, file string, logger *slog.Logger) error {
	if _, err := os.Stat(file); err != nil {
		return nil // dropped meanwhile
	}
	// Opened per pass: FerretDB deletes the file when it drops the database.
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	tables, err := strings1(ctx, db, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil // a database FerretDB is still creating
		}
		return err
	}
	indexes, err := strings1(ctx, db, `SELECT name FROM sqlite_master WHERE type = 'index'`)
	if err != nil {
		return err
	}
	have := make(map[string]bool, len(indexes))
	for _, name := range indexes {
		have[name] = true
	}
	for _, table := range tables {
		name := table + "__id_pushdown"
		if have[name] {
			continue
		}
		started := time.Now()
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, name, table)
		if _, err := db.ExecContext(ctx, q); err != nil {
			if strings.Contains(err.Error(), "no such table") {
				continue // dropped meanwhile
			}
			return err
		}
		logger.Info("companion index created", "index", name, "took", time.Since(started).Round(time.Millisecond))
	}
	return nil
}

func strings1(ctx context.Context, db *sql.DB, q string) ([]string, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ensurePostgreSQL adds GIN indexes on `_id` and on the first field of every declared
// index, in every FerretDB database (a PostgreSQL schema with FerretDB's metadata table).
func ensurePostgreSQL(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	schemas, err := pgStrings(ctx, pool, `SELECT table_schema FROM information_schema.tables WHERE table_name = '_ferretdb_database_metadata'`)
	if err != nil {
		return err
	}
	for _, schema := range schemas {
		if err := ensurePostgreSQLSchema(ctx, pool, schema, logger); err != nil {
			return fmt.Errorf("%s: %w", schema, err)
		}
	}
	return nil
}

func ensurePostgreSQLSchema(ctx context.Context, pool *pgxpool.Pool, schema string, logger *slog.Logger) error {
	rows, err := pool.Query(ctx, fmt.Sprintf(
		// An index's key order is kept only in FerretDB's schema of the document ($s … $k):
		// jsonb objects do not keep it.
		`SELECT _jsonb->>'table', COALESCE((SELECT array_agg(DISTINCT i->'$s'->'p'->'key'->'$s'->'$k'->>0)
		   FROM jsonb_array_elements(_jsonb->'$s'->'p'->'indexes'->'i') AS i), '{}') FROM %s`,
		pgx.Identifier{schema, "_ferretdb_database_metadata"}.Sanitize(),
	))
	if err != nil {
		return err
	}
	fieldsOf := map[string][]string{}
	for rows.Next() {
		var table string
		var fields []string
		if err := rows.Scan(&table, &fields); err != nil {
			rows.Close()
			return err
		}
		fieldsOf[table] = fields
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	indexes, err := pgStrings(ctx, pool, `SELECT indexname FROM pg_indexes WHERE schemaname = $1`, schema)
	if err != nil {
		return err
	}
	have := make(map[string]bool, len(indexes))
	for _, name := range indexes {
		have[name] = true
	}
	tables := make([]string, 0, len(fieldsOf))
	for t := range fieldsOf {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, table := range tables {
		fields := append([]string{"_id"}, fieldsOf[table]...)
		seen := map[string]bool{}
		for _, field := range fields {
			if field == "" || seen[field] {
				continue
			}
			seen[field] = true
			name := ginIndexName(table, field)
			if have[name] {
				continue
			}
			started := time.Now()
			q := fmt.Sprintf(
				`CREATE INDEX IF NOT EXISTS %s ON %s USING gin ((%s) jsonb_path_ops)`,
				pgx.Identifier{name}.Sanitize(), pgx.Identifier{schema, table}.Sanitize(), pushdownExpression(field),
			)
			if _, err := pool.Exec(ctx, q); err != nil {
				if strings.Contains(err.Error(), "does not exist") {
					continue // dropped meanwhile
				}
				return err
			}
			logger.Info("companion index created", "index", name, "took", time.Since(started).Round(time.Millisecond))
		}
	}
	return nil
}

// pushdownExpression is the expression FerretDB's PostgreSQL backend filters a field
// with: _jsonb -> 'field', or for a dotted path _jsonb #> '{a,b}'.
func pushdownExpression(field string) string {
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	parts := strings.Split(field, ".")
	if len(parts) == 1 {
		return "_jsonb -> " + quote(field)
	}
	for i, p := range parts {
		parts[i] = `"` + strings.ReplaceAll(strings.ReplaceAll(p, `\`, `\\`), `"`, `\"`) + `"`
	}
	return "_jsonb #> " + quote("{"+strings.Join(parts, ",")+"}") + "::text[]"
}

// ginIndexName stays within PostgreSQL's 63 characters and apart from FerretDB's own
// names (which end in _idx).
func ginIndexName(table, field string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(field))
	if len(table) > 40 {
		table = table[:40]
	}
	return fmt.Sprintf("%s_%08x_pushdown", table, h.Sum32())
}

func pgStrings(ctx context.Context, pool *pgxpool.Pool, q string, args ...any) ([]string, error) {
	rows, err := pool.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
