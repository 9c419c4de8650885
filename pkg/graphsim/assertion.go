package graphsim

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// jwtClaims are the client-assertion claims the simulator checks.
type jwtClaims struct {
	Iss string `json:"iss"`
	Sub string `json:"sub"`
	Exp *int64 `json:"exp"`
}

// checkAssertion accepts a well-formed client-assertion JWT issued by and for
// clientID that has not expired.
//
// The signature is deliberately not verified: the simulator has no registered
// certificate or federated issuer to check it against, and what the plugin can
// get wrong — the flow, the form fields, which app the assertion names — is
// checked here, while signing is done by azidentity and verified by Entra ID.
func checkAssertion(assertion, clientID string, now time.Time) *aadFailure {
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 || parts[2] == "" {
		return malformedAssertion("want three dot-separated parts and a signature")
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if err := decodeJWTPart(parts[0], &header); err != nil || header.Alg == "" || strings.EqualFold(header.Alg, "none") {
		return malformedAssertion("header without a signing algorithm")
	}
	var claims jwtClaims
	if err := decodeJWTPart(parts[1], &claims); err != nil {
		return malformedAssertion("payload is not base64url JSON")
	}
	if claims.Iss != clientID || claims.Sub != clientID {
		return assertionClientMismatch()
	}
	if claims.Exp != nil && !now.Before(time.Unix(*claims.Exp, 0)) {
		return assertionExpired()
	}
	return nil
}

// decodeJWTPart decodes one base64url segment of a JWT into v; padding is
// tolerated because some encoders add it.
func decodeJWTPart(part string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(part, "="))
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}
