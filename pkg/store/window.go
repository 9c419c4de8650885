package store

import "time"

// window is one UTC-aligned slice of a log's timeline, [start, start+size).
type window struct {
	start time.Time
	size  time.Duration
}

func (w window) end() time.Time { return w.start.Add(w.size) }

// windowsCovering returns the aligned windows that overlap [from, to), oldest first.
// Alignment is to the Unix epoch, which is UTC midnight for any size dividing a day.
func windowsCovering(from, to time.Time, size time.Duration) []window {
	if !from.Before(to) {
		return nil
	}
	var ws []window
	for start := from.UTC().Truncate(size); start.Before(to); start = start.Add(size) {
		ws = append(ws, window{start: start, size: size})
	}
	return ws
}

// later is the later of two times.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
