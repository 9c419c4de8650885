package plugin

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files from what the code produces")

// logsGolden is the logs frame the browser harness renders as Explore would
// (browser-test/harness): kept equal to what logsFrame writes, so the browser
// test exercises the frame the backend really sends.
const logsGolden = "../../browser-test/harness/logs-frame.json"

func TestLogsFrameGolden(t *testing.T) {
	at := time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)
	events := []signin.Event{
		{ID: "6f1c0e7a-0001", Created: at.Add(2 * time.Minute), LogType: signin.Interactive, UserID: "u-1", UserPrincipalName: "alice@contoso.com",
			AppDisplayName: "Azure Portal", AppID: "c44b4083", ErrorCode: 50126, FailureReason: "Invalid username or password.",
			ClientAppUsed: "Browser", Browser: "Edge 131.0", OperatingSystem: "Windows10", IPAddress: "203.0.113.7", CountryOrRegion: "DE"},
		{ID: "6f1c0e7a-0002", Created: at.Add(time.Minute), LogType: signin.Interactive, UserID: "u-2", UserPrincipalName: "bob@contoso.com",
			AppDisplayName: "Microsoft Teams", AppID: "1fec8e78", ClientAppUsed: "Mobile Apps and Desktop clients",
			Browser: "Rich Client 5.0", OperatingSystem: "MacOs", IPAddress: "198.51.100.20", CountryOrRegion: "FR"},
		{ID: "6f1c0e7a-0003", Created: at, LogType: signin.Interactive, UserID: "u-1", UserPrincipalName: "alice@contoso.com",
			AppDisplayName: "Azure Portal", AppID: "c44b4083", ErrorCode: 50074, FailureReason: "Strong Authentication is required.",
			ClientAppUsed: "Browser", Browser: "Edge 131.0", OperatingSystem: "Windows10", IPAddress: "203.0.113.7", CountryOrRegion: "DE"},
	}
	link := linkTarget{UID: "signinlens", Name: "SignInLens", From: at.Add(-time.Hour), To: at.Add(time.Hour), LogType: "interactive",
		Portal: "https://portal.azure.com"}
	frame := logsFrame(&query.LogLines{Events: events, Matched: len(events)}, link)
	frame.RefID = "A"
	got, err := data.FrameToJSON(frame, data.IncludeAll)
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.FromSlash(logsGolden)
	if *updateGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/plugin -run Golden -update)", err)
	}
	if string(got) != string(want) {
		t.Fatalf("%s differs from the logs frame the backend writes; run go test ./pkg/plugin -run Golden -update and check the browser test", logsGolden)
	}
}
