package postgres

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"gloss/storage"
)

// OpenStorage opens the server database of url as a storage.Store: the
// store the window and every command use on an SQLite file, running the same
// code on the server (see sqlDB). It checks the schema as Open does, and
// listens to the server's notifications for as long as it is open: each
// one changes the store's DataVersion, so a window reloads what it shows,
// and is kept as news ("Ann added 3 spans") for the window to say. When the
// listening connection is lost it says so in the news, tries again every
// second, and says when it is back.
func OpenStorage(ctx context.Context, url string) (*storage.Store, error) {
	ps, err := Open(ctx, url)
	if err != nil {
		return nil, err
	}
	db := sqlDB(ps.pool.Config().ConnConfig, 8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		ps.Close()
		return nil, serverError("open", url, err)
	}
	lctx, stop := context.WithCancel(context.Background())
	l := &live{}
	ready := make(chan struct{})
	l.stopped.Add(1)
	go l.run(lctx, ps, ready)
	select { // the first LISTEN, so that nothing committed after Open returns is missed
	case <-ready:
	case <-time.After(5 * time.Second):
	}
	src := &Source{pool: ps.pool}
	var me storage.Annotator
	if ps.me.ID != "" {
		me = storage.Annotator{ID: ps.me.ID, Name: ps.me.Name, Created: ps.me.Created}
	}
	return storage.OpenServer(storage.Server{
		DB: db, Name: Redact(url), Me: me, Lead: ps.lead,
		Version: l.version, Search: src.Search, News: l.take, CopyIn: copyInConn,
		Backup: func(ctx context.Context, dest string, replace bool) error { return backupFile(ctx, url, dest, replace) },
		Close:  func() { stop(); l.wait(); ps.Close() },
	}), nil
}

// live is the listening side of OpenStorage.
type live struct {
	mu      sync.Mutex
	n       int64 // changes heard, and connection losses and returns
	news    []storage.News
	changes []Change          // parallel to news: the change each told, zero for Connection
	pending map[changeKey]int // the index in news of each change not taken yet
	stopped sync.WaitGroup
}

// retryEvery is how often a lost listening connection is tried again.
const retryEvery = time.Second

func (l *live) run(ctx context.Context, ps *Store, ready chan struct{}) {
	defer l.stopped.Done()
	lost := false
	for ctx.Err() == nil {
		done, err := ps.Listen(ctx, func(c Change) {
			l.addChange(c)
		})
		if ready != nil {
			close(ready)
			ready = nil
		}
		if err != nil {
			if !lost {
				lost = true
				l.add(storage.News{Connection: true, Text: "The connection to the server is lost; trying again every second. Edits made now are refused, not lost."})
			}
			select {
			case <-ctx.Done():
			case <-time.After(retryEvery):
			}
			continue
		}
		if lost {
			lost = false
			// What was committed while nobody listened is unknown:
			// the version changes, and the window reloads.
			l.add(storage.News{Connection: true, Up: true, Text: "Connected to the server again."})
		}
		if err := <-done; err != nil && ctx.Err() == nil {
			lost = true
			l.add(storage.News{Connection: true, Text: "The connection to the server is lost; trying again every second. Edits made now are refused, not lost."})
			select {
			case <-ctx.Done():
			case <-time.After(retryEvery):
			}
		}
	}
}

// keptNews is how many pieces of news are kept for a window that has not
// asked for them yet (the oldest go first).
const keptNews = 1000

// changeKey is what makes two changes one piece of news.
type changeKey struct{ table, op, doc, layer, by string }

// addChange keeps a change as news. One like another not taken yet (the
// same table, operation, document, layer and author: a batch's statements)
// adds its count to it: "Ann added 3 spans", not three times 1.
func (l *live) addChange(c Change) {
	k := changeKey{c.Table, c.Op, c.DocumentID, c.AnnotatorID, c.ByID}
	l.mu.Lock()
	defer l.mu.Unlock()
	if i, ok := l.pending[k]; ok {
		p := &l.changes[i]
		p.Count += c.Count
		p.Documents += c.Documents
		l.news[i].Text, l.news[i].Count, l.news[i].Documents = p.Text(), p.Count, p.Documents
		l.n++
		return
	}
	l.keep(storage.News{Table: c.Table, DocumentID: c.DocumentID, AnnotatorID: c.AnnotatorID, ByID: c.ByID,
		Op: c.Op, Count: c.Count, Documents: c.Documents, Text: c.Text()}, c)
	if l.pending == nil {
		l.pending = map[changeKey]int{}
	}
	l.pending[k] = len(l.news) - 1
}

// add keeps one piece of news of the connection.
func (l *live) add(n storage.News) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keep(n, Change{})
}

// keep appends n (the last keptNews are kept) and changes the version;
// l.mu is held.
func (l *live) keep(n storage.News, c Change) {
	l.n++
	l.news = append(l.news, n)
	l.changes = append(l.changes, c)
	if len(l.news) > 2*keptNews {
		drop := len(l.news) - keptNews
		l.news = slices.Clone(l.news[drop:])
		l.changes = slices.Clone(l.changes[drop:])
		clear(l.pending)
		for i, c := range l.changes {
			if !l.news[i].Connection {
				l.pending[changeKey{c.Table, c.Op, c.DocumentID, c.AnnotatorID, c.ByID}] = i
			}
		}
	}
}

func (l *live) version(context.Context) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n, nil
}

// take returns the news since the last call.
func (l *live) take() []storage.News {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.news
	l.news, l.changes = nil, nil
	clear(l.pending)
	return out
}

func (l *live) wait() { l.stopped.Wait() }

// backupFile is BackupToSQLite for the window's Backup: a copy made beside
// dest and renamed over it when replace, so that the old file stays until
// the new one is whole.
func backupFile(ctx context.Context, url, dest string, replace bool) error {
	if !replace {
		_, err := BackupToSQLite(ctx, url, dest)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.tmp")
	if err != nil {
		return err
	}
	name := tmp.Name()
	tmp.Close()
	os.Remove(name)
	defer os.Remove(name)
	if _, err := BackupToSQLite(ctx, url, name); err != nil {
		return err
	}
	return os.Rename(name, dest)
}
