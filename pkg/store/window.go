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

// runs splits windows (oldest first) into runs of adjacent windows, so a run of
// missing windows costs one paged Graph query instead of one query per window:
// a sparse log over a week is a handful of requests, not 168.
func runs(ws []window) [][]window {
	var out [][]window
	for i, w := range ws {
		if i > 0 && ws[i-1].end().Equal(w.start) {
			out[len(out)-1] = append(out[len(out)-1], w)
			continue
		}
		out = append(out, []window{w})
	}
	return out
}
