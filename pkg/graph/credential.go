package graph

import (
	"context"
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// newCredential builds the azidentity credential for cfg.AuthType. authority is
// the resolved authority host; overridden says it is not the cloud's own, in which
// case instance discovery (a call to login.microsoftonline.com) is turned off, as
// a sovereign or local stand-in authority cannot be discovered there.
func newCredential(cfg Config, authority string, overridden bool, hc *http.Client) (azcore.TokenCredential, error) {
	opts := azcore.ClientOptions{
		Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: authority + "/"},
		Transport: hc,
	}
	cred, err := buildCredential(cfg, opts, overridden)
	if err != nil {
		return nil, fmt.Errorf("%w: authType %s: %s", ErrConfig, cfg.AuthType, redactedText(err.Error(), cfg.ClientSecret))
	}
	return cred, nil
}

func buildCredential(cfg Config, opts azcore.ClientOptions, noDiscovery bool) (azcore.TokenCredential, error) {
	switch cfg.AuthType {
	case AuthClientSecret:
		return azidentity.NewClientSecretCredential(cfg.TenantID, cfg.ClientID, cfg.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: noDiscovery})
	case AuthClientCertificate:
		certs, key, err := azidentity.ParseCertificates(cfg.ClientCertificate, nil)
		if err != nil {
			return nil, fmt.Errorf("clientCertificate must be PEM with a certificate and its unencrypted private key")
		}
		return azidentity.NewClientCertificateCredential(cfg.TenantID, cfg.ClientID, certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: noDiscovery})
	case AuthManagedIdentity:
		mo := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: opts}
		if cfg.ClientID != "" {
			mo.ID = azidentity.ClientID(cfg.ClientID) // user-assigned identity
		}
		return azidentity.NewManagedIdentityCredential(mo)
	case AuthWorkloadIdentity:
		// The token file comes from AZURE_FEDERATED_TOKEN_FILE, as the AKS webhook sets it.
		return azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
			ClientOptions: opts, TenantID: cfg.TenantID, ClientID: cfg.ClientID, DisableInstanceDiscovery: noDiscovery})
	}
	return nil, fmt.Errorf("authType %q is not supported", cfg.AuthType)
}

// StaticCredential returns a credential that always hands out token. It is for a
// local Graph stand-in (the demo simulator, tests), never for Entra ID.
func StaticCredential(token string) azcore.TokenCredential { return staticCredential(token) }

type staticCredential string

func (s staticCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(s), ExpiresOn: farFuture}, nil
}
