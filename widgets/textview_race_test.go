//go:build race

package widgets

// raceEnabled relaxes timing assertions under the race detector.
const raceEnabled = true
