//go:build !linux

package pgtest

import "errors"

// server is a throwaway PostgreSQL; only the Linux build starts one.
type server struct{ url string }

func start() (*server, error) {
	return nil, errors.New("the tests start their own PostgreSQL on Linux only")
}

func (s *server) stop() error { return nil }
func (s *server) down() error { return nil }
func (s *server) up() error   { return nil }
