package plugin

import (
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// FuzzLoadSettings feeds arbitrary jsonData: no panic, and an error never
// carries the secret.
func FuzzLoadSettings(f *testing.F) {
	for _, seed := range []string{`{}`, `{"source":"graph","tenantId":"t","clientId":"c"}`, `{"demoSize":"small","demoSeed":-1}`,
		`{"source":"demo","demoFile":"/nonexistent","freshnessMinutes":1e9}`, `[]`, `null`, `{"retentionDays":"30"}`} {
		f.Add([]byte(seed))
	}
	const secret = "fuzz-secret-value-9f2c"
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: data, DecryptedSecureJSONData: map[string]string{"clientSecret": secret}})
		if err != nil && strings.Contains(err.Error(), secret) {
			t.Fatalf("the error leaks the secret: %v", err)
		}
	})
}
