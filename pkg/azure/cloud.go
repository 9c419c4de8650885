package azure

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Cloud is one Azure cloud: where its Entra ID authority, its Microsoft Graph
// and its Log Analytics query API live.
type Cloud struct {
	Name                 string // jsonData.cloud value
	AuthorityHost        string // Entra ID authority, e.g. https://login.microsoftonline.com
	GraphEndpoint        string // Microsoft Graph, e.g. https://graph.microsoft.com
	LogAnalyticsEndpoint string // Log Analytics query API, e.g. https://api.loganalytics.io
	Portal               string // the Azure portal, e.g. https://portal.azure.com
}

// DefaultCloud is used when jsonData.cloud is empty.
const DefaultCloud = "AzureCloud"

// clouds are the sovereign clouds sign-in logs exist in.
var clouds = map[string]Cloud{
	"AzureCloud":        {"AzureCloud", "https://login.microsoftonline.com", "https://graph.microsoft.com", "https://api.loganalytics.io", "https://portal.azure.com"},
	"AzureUSGovernment": {"AzureUSGovernment", "https://login.microsoftonline.us", "https://graph.microsoft.us", "https://api.loganalytics.us", "https://portal.azure.us"},
	"AzureChinaCloud":   {"AzureChinaCloud", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn", "https://api.loganalytics.azure.cn", "https://portal.azure.cn"},
}

// LookupCloud returns the endpoints of a cloud by its jsonData name; "" means AzureCloud.
func LookupCloud(name string) (Cloud, error) {
	if name == "" {
		name = DefaultCloud
	}
	c, ok := clouds[name]
	if !ok {
		return Cloud{}, fmt.Errorf("cloud %q is not supported; want one of %s", name, strings.Join(cloudNames(), ", "))
	}
	return c, nil
}

func cloudNames() []string {
	names := make([]string, 0, len(clouds))
	for n := range clouds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Scope is the OAuth scope of the application permissions granted on a
// service's endpoint (its audience).
func Scope(endpoint string) string {
	return strings.TrimRight(endpoint, "/") + "/.default"
}

// IsCloudHost reports whether endpoint is one of the clouds' own hosts (the
// authority, Graph or Log Analytics; https, default port, any path): such an
// override changes nothing a datasource editor could abuse.
func IsCloudHost(endpoint string) bool {
	u, err := url.Parse(strings.TrimSpace(endpoint))
	if err != nil || u.Scheme != "https" || u.User != nil || (u.Port() != "" && u.Port() != "443") {
		return false
	}
	for _, c := range clouds {
		for _, known := range []string{c.GraphEndpoint, c.AuthorityHost, c.LogAnalyticsEndpoint} {
			if k, _ := url.Parse(known); k != nil && strings.EqualFold(k.Hostname(), u.Hostname()) {
				return true
			}
		}
	}
	return false
}
