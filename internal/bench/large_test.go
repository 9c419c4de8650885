package bench

import (
	"testing"
	"time"
)

// TestPanelRange: figure j asks each panel for the range Grafana would, the
// dashboard's 24 hours unless the panel has a relative time of its own.
func TestPanelRange(t *testing.T) {
	now := time.Date(2026, 2, 13, 0, 0, 0, 0, time.UTC) // a Friday
	for _, c := range []struct {
		timeFrom string
		from     time.Time
	}{
		{"", now.Add(-24 * time.Hour)},
		{"24h", now.Add(-24 * time.Hour)},
		{"7d", now.AddDate(0, 0, -7)},
		{"now/w", time.Date(2026, 2, 9, 0, 0, 0, 0, time.UTC)}, // Monday
	} {
		r, err := panelRange(c.timeFrom, now)
		if err != nil || !r.From.Equal(c.from) || !r.To.Equal(now) {
			t.Errorf("panelRange(%q) = %v–%v, %v; want %v–%v", c.timeFrom, r.From, r.To, err, c.from, now)
		}
	}
	sunday := time.Date(2026, 2, 15, 13, 0, 0, 0, time.UTC)
	if r, _ := panelRange("now/w", sunday); !r.From.Equal(time.Date(2026, 2, 9, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("now/w on a Sunday starts %v; want the Monday before", r.From)
	}
	if _, err := panelRange("yesterday", now); err == nil {
		t.Error("an unknown relative time is accepted")
	}
}
