package block

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// day is the day of the small hand-made tests.
var day = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// busyHour is a Wednesday afternoon, when Europe and the United States both work.
var busyHour = time.Date(2026, 1, 14, 14, 0, 0, 0, time.UTC)

// synthEvents returns one hour of a synthetic tenant's sign-ins decoded the way
// the Graph client decodes real pages, so blocks built from them have realistic
// ids, timestamps and profile counts.
func synthEvents(tb testing.TB, size string, lt signin.LogType, hour time.Time) []signin.Event {
	tb.Helper()
	tn, err := synth.New(1, size)
	if err != nil {
		tb.Fatal(err)
	}
	page, err := json.Marshal(map[string]any{"value": tn.Hour(lt, hour)})
	if err != nil {
		tb.Fatal(err)
	}
	events, _, err := graph.DecodePage(page)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range events {
		events[i].LogType = lt
	}
	return events
}

// synthBlock returns the block of one synthetic hour.
func synthBlock(tb testing.TB, size string, lt signin.LogType, hour time.Time) *Block {
	tb.Helper()
	return New(lt, hour, hour.Add(time.Hour), synthEvents(tb, size, lt, hour), NewProfiles())
}
