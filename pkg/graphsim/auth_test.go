package graphsim

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestGraphNeedsLiveToken(t *testing.T) {
	e := newTestEnv(t, Options{})
	f := func(token string, status int, message string) {
		t.Helper()
		resp, body := e.get("/beta/auditLogs/signIns?$top=1", token)
		if resp.StatusCode != status {
			t.Fatalf("token %q: status %d; want %d: %s", token, resp.StatusCode, status, body)
		}
		if message == "" {
			return
		}
		ge := graphErrorOf(t, body)
		if ge.Code != "InvalidAuthenticationToken" || ge.Message != message || resp.Header.Get("WWW-Authenticate") == "" {
			t.Fatalf("token %q: %+v, WWW-Authenticate %q; want InvalidAuthenticationToken %q",
				token, ge, resp.Header.Get("WWW-Authenticate"), message)
		}
	}
	f("", 401, "Access token is empty.")
	f("made-up", 401, "Access token validation failure. Invalid audience.")

	tok := e.token("contoso")
	f(tok, 200, "")
	e.clock.Advance(time.Hour - time.Nanosecond)
	f(tok, 200, "")
	e.clock.Advance(time.Nanosecond)
	f(tok, 401, "Lifetime validation failed, the token is expired.")
	f(e.token("contoso"), 200, "")
}

func TestTokenEndpoint(t *testing.T) {
	e := newTestEnv(t, Options{Credentials: map[string]string{"app-1": "s3cret"}, TokenLifetime: 30 * time.Minute})
	f := func(form url.Values, status int, oauthErr string, code float64, descPrefix string) {
		t.Helper()
		gotStatus, body := e.postToken("contoso", form)
		codes, _ := body["error_codes"].([]any)
		desc, _ := body["error_description"].(string)
		if gotStatus != status || body["error"] != oauthErr || len(codes) != 1 || codes[0] != code || !strings.HasPrefix(desc, descPrefix) {
			t.Fatalf("form %v: %d %v; want %d %s %v %q...", form, gotStatus, body, status, oauthErr, code, descPrefix)
		}
		if !strings.Contains(desc, "\r\nTrace ID: ") || body["error_uri"] == "" {
			t.Fatalf("error body lacks Entra ID's trace fields: %v", body)
		}
	}
	ok := secretForm("app-1", "s3cret")
	with := func(key, value string) url.Values {
		form := url.Values{}
		for k, v := range ok {
			form[k] = v
		}
		if value == "" {
			form.Del(key)
		} else {
			form.Set(key, value)
		}
		return form
	}
	f(with("client_secret", "wrong"), 401, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided.")
	f(with("client_id", "app-2"), 400, "unauthorized_client", 700016, "AADSTS700016: Application with identifier 'app-2' was not found in the directory 'contoso'.")
	f(with("grant_type", ""), 400, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'grant_type'.")
	f(with("grant_type", "password"), 400, "unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported grant type 'password'.")
	f(with("client_id", ""), 400, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'client_id'.")
	f(with("scope", "https://graph.microsoft.com/AuditLog.Read.All"), 400, "invalid_scope", 1002012, "AADSTS1002012: The provided value for scope")
	f(with("client_secret", ""), 401, "invalid_client", 7000218, "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")

	status, body := e.postToken("contoso", ok)
	tok, _ := body["access_token"].(string)
	if status != 200 || body["token_type"] != "Bearer" || body["expires_in"] != 1800.0 || body["ext_expires_in"] != 1800.0 || len(tok) != 43 {
		t.Fatalf("good request: %d %v", status, body)
	}
	if resp, _ := e.get("/v1.0/auditLogs/signIns?$top=1", tok); resp.StatusCode != 200 {
		t.Fatalf("issued token refused: %d", resp.StatusCode)
	}
}

// testJWT builds an unsigned-but-well-formed client assertion.
func testJWT(claims map[string]any) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "PS256", "typ": "JWT", "x5t#S256": "abc"}) + "." + enc(claims) + ".c2lnbmF0dXJl"
}

func TestTokenEndpointClientAssertion(t *testing.T) {
	e := newTestEnv(t, Options{Credentials: map[string]string{"app-1": "s3cret"}})
	f := func(assertion string, status int, oauthErr string, code float64) {
		t.Helper()
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"app-1"}, "scope": {"https://graph.microsoft.com/.default"},
			"client_assertion_type": {jwtBearerAssertion}, "client_assertion": {assertion}}
		gotStatus, body := e.postToken("contoso", form)
		if gotStatus != status {
			t.Fatalf("assertion %q: status %d; want %d: %v", assertion, gotStatus, status, body)
		}
		if status == 200 {
			if body["access_token"] == "" {
				t.Fatalf("no access_token: %v", body)
			}
			return
		}
		if codes, _ := body["error_codes"].([]any); body["error"] != oauthErr || len(codes) != 1 || codes[0] != code {
			t.Fatalf("assertion %q: %v; want %s %v", assertion, body, oauthErr, code)
		}
	}
	exp := testNow.Add(10 * time.Minute).Unix()
	aud := "https://login.example/contoso/oauth2/v2.0/token"
	f(testJWT(map[string]any{"iss": "app-1", "sub": "app-1", "aud": aud, "exp": exp}), 200, "", 0)
	f(testJWT(map[string]any{"iss": "app-1", "sub": "app-1", "aud": aud}), 200, "", 0)
	f(testJWT(map[string]any{"iss": "app-9", "sub": "app-1", "aud": aud, "exp": exp}), 401, "invalid_client", 700021)
	f(testJWT(map[string]any{"iss": "app-1", "sub": "app-9", "aud": aud, "exp": exp}), 401, "invalid_client", 700021)
	f(testJWT(map[string]any{"iss": "app-1", "sub": "app-1", "aud": aud, "exp": testNow.Unix()}), 401, "invalid_client", 700024)
	f("not-a-jwt", 400, "invalid_request", 50027)
	f("e30.e30.", 400, "invalid_request", 50027)
	f(base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`))+".e30.c2ln", 400, "invalid_request", 50027)
	f("e30.!!!.c2ln", 400, "invalid_request", 50027)
}

func TestOpenIDConfiguration(t *testing.T) {
	e := newTestEnv(t, Options{})
	resp, body := e.get("/contoso.example/v2.0/.well-known/openid-configuration", "")
	var cfg map[string]any
	if err := json.Unmarshal(body, &cfg); err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d, %v: %s", resp.StatusCode, err, body)
	}
	want := map[string]string{
		"token_endpoint":         e.base + "/contoso.example/oauth2/v2.0/token",
		"authorization_endpoint": e.base + "/contoso.example/oauth2/v2.0/authorize",
		"issuer":                 e.base + "/contoso.example/v2.0",
	}
	for k, v := range want {
		if cfg[k] != v {
			t.Fatalf("%s = %v; want %s", k, cfg[k], v)
		}
	}
}

func TestRoutingErrors(t *testing.T) {
	e := newTestEnv(t, Options{})
	f := func(method, path string, status int, code string) {
		t.Helper()
		req, _ := http.NewRequest(method, e.base+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var ge graphError
		json.NewDecoder(resp.Body).Decode(&ge)
		if resp.StatusCode != status || ge.Error.Code != code {
			t.Fatalf("%s %s: %d %q; want %d %q", method, path, resp.StatusCode, ge.Error.Code, status, code)
		}
	}
	f(http.MethodGet, "/beta/users", 404, "ResourceNotFound")
	f(http.MethodGet, "/v2.0/auditLogs/signIns", 404, "ResourceNotFound")
	f(http.MethodPost, "/beta/auditLogs/signIns", 405, "MethodNotAllowed")
	f(http.MethodGet, "/contoso/oauth2/v2.0/token", 405, "MethodNotAllowed")
}
