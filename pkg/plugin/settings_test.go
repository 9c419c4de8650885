package plugin

import (
	"errors"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestLoadSettings(t *testing.T) {
	s, err := LoadSettings(backend.DataSourceInstanceSettings{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Source != SourceDemo || s.DemoSize != "medium" || s.DemoSeed != 1 || s.FreshnessMinutes != 15 || s.RetentionDays != 30 {
		t.Fatalf("unexpected defaults %+v", s)
	}
	s, err = LoadSettings(backend.DataSourceInstanceSettings{
		JSONData:                []byte(`{"source":"graph","tenantId":" t1 ","clientId":"c1"}`),
		DecryptedSecureJSONData: map[string]string{"clientSecret": "s3cret"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.TenantID != "t1" || s.ClientSecret != "s3cret" {
		t.Fatalf("unexpected settings %+v", s)
	}
}

func TestLoadSettingsErrors(t *testing.T) {
	f := func(jsonData, want string) {
		t.Helper()
		_, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(jsonData)})
		if !errors.Is(err, ErrSettings) || !strings.Contains(err.Error(), want) {
			t.Fatalf("unexpected error for %s: %v; want one naming %q", jsonData, err, want)
		}
	}
	f(`{"source":"splunk"}`, `source "splunk"`)
	f(`{"demoSize":"huge"}`, `demoSize "huge"`)
	f(`{"freshnessMinutes":-5}`, "freshnessMinutes")
	f(`{"maxGroups":5000000}`, "maxGroups")
	f(`{"revalidateHours":1}`, "revalidateHours 1")
	f(`{"revalidateHours":3,"freshnessMinutes":120}`, "revalidateHours 3")
	f(`{"revalidateHours":721}`, "revalidateHours")
	f(`{"revalidateEverySeconds":1}`, "revalidateEverySeconds")
	f(`{"retentionDays":0.5}`, "jsonData is not valid JSON")
	f(`{"source":`, "jsonData is not valid JSON")
}

// TestSecretsNeverSerialise guards the json:"-" tags: settings are logged and
// compared, and must never carry secrets out.
func TestSecretsNeverSerialise(t *testing.T) {
	s, err := LoadSettings(backend.DataSourceInstanceSettings{
		JSONData:                []byte(`{"source":"graph","tenantId":"t","clientId":"c"}`),
		DecryptedSecureJSONData: map[string]string{"clientSecret": "s3cret-value", "clientCertificate": "-----BEGIN PRIVATE KEY-----x", "tlsCACert": "ca"},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonMarshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"s3cret-value", "PRIVATE KEY"} {
		if strings.Contains(out, secret) {
			t.Fatalf("settings JSON leaks a secret: %s", out)
		}
	}
}
