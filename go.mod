module gloss

go 1.26.0

require (
	fyne.io/fyne/v2 v2.7.1 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/mattn/go-sqlite3 v1.14.53 // indirect
	golang.org/x/net v0.62.0 // indirect
)
