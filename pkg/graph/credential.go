package graph

import (
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
)

// newCredential builds the azidentity credential for cfg.AuthType. authority is
// the resolved authority host; overridden says it is not the cloud's own, in which
// case instance discovery is turned off (azure.Credential.Build).
func newCredential(cfg Config, authority string, overridden bool, hc *http.Client) (azcore.TokenCredential, error) {
	cred, err := cfg.credential().Build(authority, overridden, hc)
	if err != nil {
		return nil, fmt.Errorf("%w: authType %s: %s", ErrConfig, cfg.AuthType, redactedText(err.Error(), cfg.ClientSecret))
	}
	return cred, nil
}

// credential is the part of cfg that authenticates.
func (c Config) credential() azure.Credential {
	return azure.Credential{AuthType: c.AuthType, TenantID: c.TenantID, ClientID: c.ClientID,
		ClientSecret: c.ClientSecret, ClientCertificate: c.ClientCertificate}
}
