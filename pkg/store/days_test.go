package store

import (
	"context"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// TestScanDaysHandsOverClosedWholeDays: a range of three closed days and a
// cut one reads the whole closed days counted per profile (a sign-in a
// minute: 1,440 each) and the rest as blocks; the counts stay with the days.
func TestScanDaysHandsOverClosedWholeDays(t *testing.T) {
	clock := &fakeClock{t: day.Add(3*dayLength + time.Hour)}
	s := New(&fakeSource{now: clock.Now}, Config{Now: clock.Now})
	defer s.Close()
	from, to := day.Add(-6*time.Hour), day.Add(3*dayLength+30*time.Minute)
	for range 2 { // counting the days, then reading them counted
		var days []time.Time
		signIns := 0
		err := s.ScanDays(context.Background(), signin.Interactive, from, to, func(start time.Time, counts []block.ProfileCounts) {
			days = append(days, start)
			n := 0
			for _, c := range counts {
				for _, k := range c.Counts {
					n += int(k)
				}
			}
			if n != 1440 {
				t.Fatalf("the day of %s counts %d sign-ins; want 1440", start.Format("Jan 2"), n)
			}
		}, func(b *block.Block, lo, hi int) { signIns += hi - lo })
		if err != nil {
			t.Fatal(err)
		}
		if len(days) != 3 || !days[0].Equal(day) || !days[2].Equal(day.Add(2*dayLength)) {
			t.Fatalf("unexpected days counted: %v; want the three from %s", days, day.Format("Jan 2"))
		}
		if want := 6*60 + 30; signIns != want { // the cut day before and the day still open
			t.Fatalf("unexpected sign-ins read as blocks: %d; want %d", signIns, want)
		}
	}
	if st := s.Stats(); st.DaysCounted != 3 {
		t.Fatalf("unexpected days counted in memory: %d; want 3", st.DaysCounted)
	}
}

// TestDaysLeaveWithTheirBlocks: a day's counts are held only while memory
// holds every block they count, and memory's size includes them.
func TestDaysLeaveWithTheirBlocks(t *testing.T) {
	m := newMemory(1 << 30)
	tbl := block.NewProfiles()
	var blocks []*block.Block
	for h := range 24 {
		start := day.Add(time.Duration(h) * time.Hour)
		b := block.New(signin.Interactive, start, start.Add(time.Hour),
			[]signin.Event{{ID: start.String(), Created: start, LogType: signin.Interactive, AppDisplayName: "app"}}, tbl)
		m.put(start.String(), b)
		blocks = append(blocks, b)
	}
	before := m.size()
	m.keepDay(dayOf(signin.Interactive, day), block.CountProfiles(blocks))
	if m.size() <= before || len(m.days) != 1 {
		t.Fatalf("a day counted is not held or not sized: %d days, size %d → %d", len(m.days), before, m.size())
	}
	m.remove(m.items[day.Add(5*time.Hour).String()])
	if len(m.days) != 0 || m.dayBytes != 0 {
		t.Fatalf("the day outlived one of its blocks: %d days, %d bytes", len(m.days), m.dayBytes)
	}
}
