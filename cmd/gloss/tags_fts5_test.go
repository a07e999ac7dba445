//go:build sqlite_fts5

package main

// buildTags are the tags the binaries the tests build need: the ones this
// test binary was built with (the Makefile's TAGS).
const buildTags = "sqlite_fts5"
