package graph

import "github.com/signinlens/signinlens-entra-datasource/pkg/azure"

// Cloud is one Azure cloud (azure.Cloud).
type Cloud = azure.Cloud

// DefaultCloud is used when jsonData.cloud is empty.
const DefaultCloud = azure.DefaultCloud

// LookupCloud returns the endpoints of a cloud by its jsonData name; "" means AzureCloud.
func LookupCloud(name string) (Cloud, error) { return azure.LookupCloud(name) }

// Scope is the OAuth scope of the application permissions granted on a Graph endpoint.
func Scope(graphEndpoint string) string { return azure.Scope(graphEndpoint) }
