package block

import (
	"slices"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// BenchmarkMergeTail is one refresh of a busy open window (figure f): the
// busy hour's non-interactive sign-ins held but for the newest 200, then the
// refresh's page: the newest 500 held again and the 200 new.
func BenchmarkMergeTail(b *testing.B) {
	const reread, fresh = 500, 200
	events := synthEvents(b, "medium", signin.NonInteractive, busyHour)
	slices.SortStableFunc(events, func(a, b signin.Event) int { return a.Created.Compare(b.Created) })
	n := len(events)
	held := New(signin.NonInteractive, busyHour, busyHour.Add(time.Hour), events[:n-fresh], NewProfiles())
	page := events[n-fresh-reread:]
	lb := page[0].Created
	b.ReportAllocs()
	for b.Loop() {
		sinkBlock = MergeTail(held, page, lb)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(page)), "ns/fetched")
}
