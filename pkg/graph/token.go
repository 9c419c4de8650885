package graph

import (
	"context"
	"encoding/base64"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// tokenSlack is how long before expiry a token is replaced, so a page never
// starts with a token that expires while Graph is still assembling it.
const tokenSlack = 2 * time.Minute

// tokenSource hands out bearer tokens for one scope. azidentity caches too, but
// asking it per page costs a lock and a cache walk; this keeps the current token,
// and forgets it when Graph answers 401 so the next page gets a fresh one.
type tokenSource struct {
	cred      azcore.TokenCredential
	renew     func() (azcore.TokenCredential, error) // a fresh credential; nil for an injected one
	scope     string
	authority string // host, for network errors
	secret    string // removed from error texts

	mu     sync.Mutex
	cached azcore.AccessToken
	claims string // claims challenge from the last 401, sent with the next request
}

// token returns a valid token, fetching one when none is cached or it is about to expire.
func (s *tokenSource) token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cached.Token != "" && time.Now().Add(tokenSlack).Before(s.cached.ExpiresOn) {
		return s.cached.Token, nil
	}
	tok, err := s.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{s.scope}, Claims: s.claims})
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", authError(err, s.authority, s.secret)
	}
	s.cached, s.claims = tok, ""
	return tok.Token, nil
}

// invalidate drops the cached token after a 401. A claims challenge (Continuous
// Access Evaluation) makes azidentity bypass its own cache for the next token.
// Without one, azidentity would hand back the same rejected token from its cache
// until it expires, so the credential itself is rebuilt: its cache goes with it.
func (s *tokenSource) invalidate(challenge string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cached = azcore.AccessToken{}
	s.claims = claimsOf(challenge)
	if s.claims != "" || s.renew == nil {
		return
	}
	if cred, err := s.renew(); err == nil {
		s.cred = cred
	}
}

// claimsOf extracts the base64 claims="…" parameter of a WWW-Authenticate header.
func claimsOf(header string) string {
	_, rest, ok := strings.Cut(header, `claims="`)
	if !ok {
		return ""
	}
	enc, _, _ := strings.Cut(rest, `"`)
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		if b, err = base64.RawURLEncoding.DecodeString(enc); err != nil {
			return ""
		}
	}
	return string(b)
}

// hostOf returns the host of a URL, for error messages.
func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}
