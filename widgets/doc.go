// Package widgets holds Gloss's custom Fyne widgets. They know nothing about
// storage or the application: they take plain values (text, spans, labels)
// and report what the user did through callbacks.
package widgets
