package graphsim

import (
	"net/http"
	"net/url"
)

// openIDConfig is the tenant discovery document MSAL (under azidentity) reads
// before its first token request. It needs the token endpoint, the
// authorization endpoint and an issuer on the same host as the authority.
type openIDConfig struct {
	TokenEndpoint         string   `json:"token_endpoint"`
	AuthorizationEndpoint string   `json:"authorization_endpoint"`
	Issuer                string   `json:"issuer"`
	JWKSURI               string   `json:"jwks_uri"`
	TokenAuthMethods      []string `json:"token_endpoint_auth_methods_supported"`
	ResponseTypes         []string `json:"response_types_supported"`
	SubjectTypes          []string `json:"subject_types_supported"`
	SigningAlgs           []string `json:"id_token_signing_alg_values_supported"`
	TenantRegionScope     string   `json:"tenant_region_scope"`
}

// serveOpenIDConfig answers GET /{tenant}/v2.0/.well-known/openid-configuration.
func (s *Server) serveOpenIDConfig(w http.ResponseWriter, r *http.Request, tenant string) {
	base := baseURLOf(r) + "/" + url.PathEscape(tenant)
	writeJSON(w, http.StatusOK, openIDConfig{
		TokenEndpoint:         base + "/oauth2/v2.0/token",
		AuthorizationEndpoint: base + "/oauth2/v2.0/authorize",
		Issuer:                base + "/v2.0",
		JWKSURI:               base + "/discovery/v2.0/keys",
		TokenAuthMethods:      []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		ResponseTypes:         []string{"code", "id_token", "code id_token", "id_token token"},
		SubjectTypes:          []string{"pairwise"},
		SigningAlgs:           []string{"RS256"},
		TenantRegionScope:     "WW",
	})
}
