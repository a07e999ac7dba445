package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The storage package writes its SQL once, for both engines, with SQLite's
// placeholders: ? (numbered in order) and ?N (the Nth argument, as often as
// it is needed). PostgreSQL takes $N only. sqlDB opens a database/sql pool
// whose driver converts every statement before the server sees it, so the
// store's code (its edits, undo, statuses, relations, suggestions) runs
// unchanged on the server.

// rebind converts SQLite placeholders in query to PostgreSQL's: ?N to $N,
// and each bare ? to $k, k counting them. Quoted strings ('...'),
// identifiers ("...") and -- comments are copied as they are. A statement
// mixing the two styles would number them differently on the two engines
// and is not written in the store; rebind numbers bare ones from 1 anyway.
func rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch c {
		case '\'', '"':
			j := i + 1
			for j < len(query) {
				if query[j] == c {
					if j+1 < len(query) && query[j+1] == c { // '' inside a string
						j += 2
						continue
					}
					break
				}
				j++
			}
			b.WriteString(query[i:min(j+1, len(query))])
			i = j
		case '-':
			if i+1 < len(query) && query[i+1] == '-' {
				j := strings.IndexByte(query[i:], '\n')
				if j < 0 {
					j = len(query) - i
				}
				b.WriteString(query[i : i+j])
				i += j - 1
				continue
			}
			b.WriteByte(c)
		case '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(query[i+1 : j])
			} else {
				n++
				b.WriteString(strconv.Itoa(n))
			}
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// rebinding caches rebind's answers: the store asks the same few hundred
// statements over and over.
type rebinding struct {
	mu   sync.Mutex
	done map[string]string
}

func (r *rebinding) of(q string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if out, ok := r.done[q]; ok {
		return out
	}
	out := rebind(q)
	if len(r.done) < 4096 {
		r.done[q] = out
	}
	return out
}

// connector is pgx's database/sql connector, converting placeholders.
type connector struct {
	inner driver.Connector
	r     *rebinding
}

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &conn{Conn: dc.(*stdlib.Conn), r: c.r}, nil
}

func (c connector) Driver() driver.Driver { return c.inner.Driver() }

// conn is one pgx connection; every method that takes SQL converts it.
type conn struct {
	*stdlib.Conn
	r *rebinding
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(c.r.of(query))
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, c.r.of(query))
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, c.r.of(query), args)
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, c.r.of(query), args)
}

// copyInConn is storage.Server's CopyIn: COPY on the pgx connection under
// conn, in the transaction that conn has open. table may name its schema
// ("gloss_merge.spans").
func copyInConn(ctx context.Context, sc *sql.Conn, table string, columns []string, next func() ([]any, error)) (int64, error) {
	var n int64
	err := sc.Raw(func(dc any) error {
		c, ok := dc.(*conn)
		if !ok {
			return fmt.Errorf("copy into %s: not a connection of this package (%T)", table, dc)
		}
		var err error
		n, err = c.Conn.Conn().CopyFrom(ctx, pgx.Identifier(strings.Split(table, ".")), columns, pgx.CopyFromFunc(next))
		return err
	})
	return n, err
}

// sqlDB opens the database/sql pool of cfg with the converting driver.
func sqlDB(cfg *pgx.ConnConfig, maxConns int) *sql.DB {
	db := sql.OpenDB(connector{inner: stdlib.GetConnector(*cfg), r: &rebinding{done: map[string]string{}}})
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	return db
}
