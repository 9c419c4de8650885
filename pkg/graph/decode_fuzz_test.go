package graph

import "testing"

// FuzzDecodePage feeds arbitrary bytes to the page decoder: it must return
// events or an error, never panic, whatever Graph or a proxy sends.
func FuzzDecodePage(f *testing.F) {
	for _, seed := range []string{
		`{"value":[]}`, "\xef\xbb\xbf[]",
		`{"@odata.nextLink":"https://graph.microsoft.com/beta/auditLogs/signIns?$skiptoken=x","value":[{"id":"a","createdDateTime":"2026-01-13T14:00:00.1234567Z","status":{}}]}`,
		`{"value":[{"id":"b","createdDateTime":"2026-01-13T14:00:00Z","status":{"errorCode":"50126"},"location":{"geoCoordinates":{"latitude":null}},"deviceDetail":{"isCompliant":null}}]}`,
		`{"value":[{"id":1}]}`, `{"value":{}}`, `{"value":[{"createdDateTime":"yesterday"}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		events, _, err := DecodePage(data)
		if err != nil && len(events) > 0 {
			t.Fatalf("events returned with an error: %d", len(events))
		}
	})
}
