package graphsim

import (
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// TestReplayKeepsTheLatestVersion: a Log Analytics export lists a sign-in
// again when it was updated (same Id and CreatedDateTime, later
// TimeGenerated): the replay serves it once, in the version ingested last
// wherever it stands in the file, and counts what it collapsed.
func TestReplayKeepsTheLatestVersion(t *testing.T) {
	in := "Id,CreatedDateTime,TimeGenerated,Type,ResultType\n" +
		"r-1,2026-01-13T07:00:01Z,2026-01-13T07:40:00Z,SigninLogs,50126\n" + // the update, listed first
		"r-1,2026-01-13T07:00:01Z,2026-01-13T07:02:00Z,SigninLogs,0\n" +
		"r-2,2026-01-13T07:10:00Z,2026-01-13T07:12:00Z,SigninLogs,0\n" +
		"r-2,2026-01-13T07:10:00Z,2026-01-13T07:12:00Z,SigninLogs,0\n" + // an overlapping export's repeat
		"r-3,2026-01-13T07:20:00Z,2026-01-13T07:22:00Z,AADNonInteractiveUserSignInLogs,0\n"
	src, err := FileSource(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	hour := time.Date(2026, 1, 13, 7, 0, 0, 0, time.UTC)
	recs, _ := src.Hour(signin.Interactive, hour)
	if len(recs) != 2 {
		t.Fatalf("%d interactive sign-ins; want 2", len(recs))
	}
	for _, r := range recs {
		if r.ID == "r-1" && r.ErrorCode != 50126 {
			t.Fatalf("r-1 served with error code %d; want its latest version's 50126", r.ErrorCode)
		}
	}
	replay, ok := ReplayOf(src)
	got := replay.Collapsed
	if !ok || got["interactive"] != 2 || got["nonInteractive"] != 0 {
		t.Fatalf("collapsed %v; want 2 interactive", got)
	}
}
