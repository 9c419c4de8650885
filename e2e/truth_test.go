package e2e

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// exportedSignIn holds the fields the ground truth needs from an exported record.
type exportedSignIn struct {
	ID                 string `json:"id"`
	CreatedDateTime    string `json:"createdDateTime"`
	UserID             string `json:"userId"`
	UserPrincipalName  string `json:"userPrincipalName"`
	AppID              string `json:"appId"`
	AppDisplayName     string `json:"appDisplayName"`
	IPAddress          string `json:"ipAddress"`
	ResourceID         string `json:"resourceId"`
	ServicePrincipalID string `json:"servicePrincipalId"`
	// The fields below serve the every-metric ground truth (groundtruth_test.go).
	ResourceDisplayName  string `json:"resourceDisplayName"`
	ServicePrincipalName string `json:"servicePrincipalName"`
	ClientAppUsed        string `json:"clientAppUsed"`
	AuthRequirement      string `json:"authenticationRequirement"`
	ConditionalAccess    string `json:"conditionalAccessStatus"`
	Status               struct {
		ErrorCode int `json:"errorCode"`
	} `json:"status"`
	DeviceDetail struct {
		Browser         string `json:"browser"`
		OperatingSystem string `json:"operatingSystem"`
	} `json:"deviceDetail"`
	Location struct {
		CountryOrRegion string `json:"countryOrRegion"`
	} `json:"location"`
}

// created parses the record's createdDateTime.
func (r exportedSignIn) created(t *testing.T) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339Nano, r.CreatedDateTime)
	if err != nil {
		t.Fatalf("record %s: createdDateTime %q: %v", r.ID, r.CreatedDateTime, err)
	}
	return ts
}

// export runs `graphsim export` and returns its records: the ground truth, produced
// by a separate command, not by the plugin.
func export(t *testing.T, seed int, size, logType string, from, to time.Time) []exportedSignIn {
	t.Helper()
	return exportOf[exportedSignIn](t, seed, size, logType, from, to)
}

// exportOf is export read into records of type T.
func exportOf[T any](t *testing.T, seed int, size, logType string, from, to time.Time) []T {
	t.Helper()
	return graphsimExport[T](t, "export", "--seed", itoa(seed), "--size", size, "--type", logType,
		"--from", from.Format(time.RFC3339), "--to", to.Format(time.RFC3339))
}

// graphsimExport runs graphsim with args and reads the page it prints.
func graphsimExport[T any](t *testing.T, args ...string) []T {
	t.Helper()
	cmd := exec.Command(graphsimBin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("graphsim %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	var page struct {
		Value []T `json:"value"`
	}
	if err := json.Unmarshal(out, &page); err != nil {
		t.Fatalf("decoding the export: %v", err)
	}
	return page.Value
}

// hourlyCounts counts records per UTC hour start; failures counts only outcomes
// that are neither success nor interrupted.
func hourlyCounts(t *testing.T, records []exportedSignIn, onlyFailures bool) map[int64]float64 {
	t.Helper()
	counts := make(map[int64]float64)
	for _, r := range records {
		created, err := time.Parse(time.RFC3339Nano, r.CreatedDateTime)
		if err != nil {
			t.Fatalf("record %s: createdDateTime %q: %v", r.ID, r.CreatedDateTime, err)
		}
		if onlyFailures && !isFailure(r.Status.ErrorCode) {
			continue
		}
		counts[created.Truncate(time.Hour).Unix()]++
	}
	return counts
}

// isFailure restates the README's outcome table on purpose, independently of
// pkg/signin, so a mistake there cannot hide here.
func isFailure(code int) bool {
	switch code {
	case 0, 16000, 16001, 16003, 50055, 50058, 50059, 50072, 50074, 50076, 50079, 50125,
		50127, 50129, 50140, 50143, 50144, 51006, 52004, 65001, 81010, 81012, 81014:
		return false
	}
	return true
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
