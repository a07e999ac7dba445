//go:build !sqlite_fts5

package main

// buildTags: this test binary was built without the Makefile's tags, so the
// store refuses to open; the tests that build a binary say so.
const buildTags = ""
