package graph

import (
	"context"
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

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

// StaticCredential returns a credential that always hands out token. It is for a
// local Graph stand-in (the demo simulator, tests), never for Entra ID.
func StaticCredential(token string) azcore.TokenCredential { return staticCredential(token) }

type staticCredential string

func (s staticCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(s), ExpiresOn: farFuture}, nil
}
