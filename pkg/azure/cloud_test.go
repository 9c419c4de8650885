package azure

import "testing"

func TestCloudHosts(t *testing.T) {
	for name, la := range map[string]string{"": "https://api.loganalytics.io", "AzureUSGovernment": "https://api.loganalytics.us", "AzureChinaCloud": "https://api.loganalytics.azure.cn"} {
		c, err := LookupCloud(name)
		if err != nil || c.LogAnalyticsEndpoint != la || Scope(c.LogAnalyticsEndpoint+"/") != la+"/.default" {
			t.Fatalf("%q: %+v, %v", name, c, err)
		}
	}
	if _, err := LookupCloud("AzureGermanCloud"); err == nil {
		t.Fatal("an unknown cloud was accepted")
	}
}

// TestIsCloudHost: only the clouds' own hosts over https on the default port;
// look-alikes, other ports, http and credentials in the URL are custom.
func TestIsCloudHost(t *testing.T) {
	for endpoint, want := range map[string]bool{
		"https://graph.microsoft.com":                      true,
		"https://LOGIN.microsoftonline.us/":                true,
		"https://api.loganalytics.azure.cn/v1":             true,
		"https://graph.microsoft.com:443":                  true,
		"https://graph.microsoft.com:8443":                 false,
		"http://graph.microsoft.com":                       false,
		"https://login.microsoftonline.com.evil.example":   false,
		"https://user:pass@login.microsoftonline.com":      false,
		"https://127.0.0.1:9443":                           false,
		"not a url at all":                                 false,
		"https://api.loganalytics.io.attacker.example/v1/": false,
	} {
		if got := IsCloudHost(endpoint); got != want {
			t.Errorf("IsCloudHost(%q) = %v; want %v", endpoint, got, want)
		}
	}
}
