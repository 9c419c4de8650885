package azure

import (
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// Authentication types (jsonData.authType).
const (
	AuthClientSecret      = "clientSecret"
	AuthClientCertificate = "clientCertificate"
	AuthManagedIdentity   = "managedIdentity"
	AuthWorkloadIdentity  = "workloadIdentity"
)

// Credential is how a datasource authenticates to Entra ID.
type Credential struct {
	AuthType          string // one of the Auth* constants
	TenantID          string
	ClientID          string // for managedIdentity optional (user-assigned identity)
	ClientSecret      string
	ClientCertificate []byte // PEM certificate and unencrypted private key
}

// Build makes the azidentity credential, authenticating at authority (the
// cloud's, or an override) over hc. noDiscovery turns off instance discovery
// (a call to login.microsoftonline.com), which a sovereign or local stand-in
// authority cannot answer. Errors never quote the secret or the key: the
// certificate parser's message could quote the PEM.
func (c Credential) Build(authority string, noDiscovery bool, hc *http.Client) (azcore.TokenCredential, error) {
	opts := azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: authority + "/"}}
	if hc != nil {
		opts.Transport = hc
	}
	switch c.AuthType {
	case AuthClientSecret:
		return azidentity.NewClientSecretCredential(c.TenantID, c.ClientID, c.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: noDiscovery})
	case AuthClientCertificate:
		certs, key, err := azidentity.ParseCertificates(c.ClientCertificate, nil)
		if err != nil {
			return nil, fmt.Errorf("clientCertificate must be PEM with a certificate and its unencrypted private key")
		}
		return azidentity.NewClientCertificateCredential(c.TenantID, c.ClientID, certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: noDiscovery})
	case AuthManagedIdentity:
		mo := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: opts}
		if c.ClientID != "" {
			mo.ID = azidentity.ClientID(c.ClientID) // user-assigned identity
		}
		return azidentity.NewManagedIdentityCredential(mo)
	case AuthWorkloadIdentity:
		// The token file comes from AZURE_FEDERATED_TOKEN_FILE, as the AKS webhook sets it.
		return azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
			ClientOptions: opts, TenantID: c.TenantID, ClientID: c.ClientID, DisableInstanceDiscovery: noDiscovery})
	}
	return nil, fmt.Errorf("authType %q is not supported", c.AuthType)
}
