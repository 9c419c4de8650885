package loganalytics

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/query/azlogs"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// benchAnswer is a sign-in answer of n rows in the columns that matter most.
func benchAnswer(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"tables":[{"name":"PrimaryResult","columns":[{"name":"Id","type":"string"},{"name":"CreatedDateTime","type":"datetime"},` +
		`{"name":"TimeGenerated","type":"datetime"},{"name":"UserPrincipalName","type":"string"},{"name":"AppDisplayName","type":"string"},` +
		`{"name":"IPAddress","type":"string"},{"name":"Status","type":"dynamic"},{"name":"DeviceDetail","type":"dynamic"},` +
		`{"name":"LocationDetails","type":"dynamic"}],"rows":[`)
	at := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		row := []any{fmt.Sprintf("%08d-1111-4222-8333-444444444444", i), at.Add(time.Duration(i) * time.Second).Format(time.RFC3339Nano),
			at.Add(time.Duration(i)*time.Second + 2*time.Minute).Format(time.RFC3339Nano), fmt.Sprintf("user%d@contoso.com", i%2000),
			"Office 365 Exchange Online", fmt.Sprintf("203.0.113.%d", i%250), `{"errorCode":0,"additionalDetails":"MFA requirement satisfied by claim in the token"}`,
			`{"deviceId":"","operatingSystem":"Windows 10","browser":"Edge 120.0.0","isCompliant":true,"isManaged":true,"trustType":"Azure AD joined"}`,
			`{"city":"Seattle","state":"Washington","countryOrRegion":"US","geoCoordinates":{"latitude":47.6,"longitude":-122.3}}`}
		raw, _ := json.Marshal(row)
		b.Write(raw)
	}
	b.WriteString(`]}]}`)
	return b.Bytes()
}

// BenchmarkListAnswer decodes one 20,000-row listing as azlogs alone would
// (the body whole, then every row generic) and as the client streams it: the
// ratio of their B/op is what streaming saves.
func BenchmarkListAnswer(b *testing.B) {
	body := benchAnswer(20_000)
	b.Run("azlogs", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var res azlogs.QueryResults
			if err := json.Unmarshal(bytes.Clone(body), &res); err != nil {
				b.Fatal(err)
			}
			rows := newSignInRows(signin.Interactive)
			names := make([]string, len(res.Tables[0].Columns))
			for i, c := range res.Tables[0].Columns {
				names[i] = *c.Name
			}
			if err := rows.columns(names); err != nil {
				b.Fatal(err)
			}
			for _, r := range res.Tables[0].Rows {
				if err := rows.row(r); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("stream", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			rows := newSignInRows(signin.Interactive)
			if _, err := streamAnswer(bytes.NewReader(body), rows); err != nil {
				b.Fatal(err)
			}
		}
	})
}
