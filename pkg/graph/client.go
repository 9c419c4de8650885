package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// userAgent identifies the plugin to Graph, which Microsoft asks clients to do.
const userAgent = "SignInLens-EntraDatasource"

// maxPageBytes bounds one page body. A 1000-item beta page is a few MB; anything
// far beyond is not a sign-ins page and must not exhaust memory.
const maxPageBytes = 256 << 20

// errPageTooLarge is not retried: the same URL would bring the same body.
var errPageTooLarge = fmt.Errorf("page body exceeds %d MB", maxPageBytes>>20)

// Client lists Entra ID sign-ins from Microsoft Graph. It is safe for concurrent use.
type Client struct {
	cfg    Config
	base   string // Graph endpoint without trailing slash
	origin *url.URL
	http   *http.Client
	tokens *tokenSource
}

// New validates cfg and builds a client. No request is sent; Probe checks access.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	graphURL, authority, err := cfg.endpoints()
	if err != nil {
		return nil, err
	}
	origin, err := url.Parse(graphURL)
	if err != nil {
		return nil, fmt.Errorf("%w: graphEndpoint: %v", ErrConfig, err)
	}
	hc, err := newHTTPClient(cfg)
	if err != nil {
		return nil, err
	}
	tokens := &tokenSource{scope: Scope(graphURL), authority: hostOf(authority), secret: cfg.ClientSecret}
	if cfg.Credential != nil {
		tokens.cred = cfg.Credential
	} else {
		tokens.renew = func() (azcore.TokenCredential, error) {
			return newCredential(cfg, authority, cfg.AuthorityHost != "", hc)
		}
		if tokens.cred, err = tokens.renew(); err != nil {
			return nil, err
		}
	}
	return &Client{
		cfg:    cfg,
		base:   graphURL,
		origin: origin,
		http:   hc,
		tokens: tokens,
	}, nil
}

// response is what one GET brought back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// get sends one authenticated GET and reads the whole body. A body cut short
// comes back with the status and io.ErrUnexpectedEOF so it can be retried.
func (c *Client) get(ctx context.Context, rawURL, token string) (response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return response{}, fmt.Errorf("building request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return response{}, unwrapURLError(err)
	}
	defer resp.Body.Close()
	body, err := readBody(resp)
	return response{status: resp.StatusCode, header: resp.Header, body: body}, err
}

// readBody reads at most maxPageBytes, sized by Content-Length when known.
func readBody(resp *http.Response) ([]byte, error) {
	var buf bytes.Buffer
	if n := resp.ContentLength; n > 0 && n <= maxPageBytes {
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, maxPageBytes+1))
	if buf.Len() > maxPageBytes {
		return nil, errPageTooLarge
	}
	return buf.Bytes(), err
}

// unwrapURLError drops *url.Error's "Get <whole URL>:" prefix, which repeats the
// filter in every message, keeping the cause for errors.Is/As.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// sameOrigin reports whether raw points at the configured Graph endpoint's scheme
// and host: the bearer token must never be sent anywhere else.
func (c *Client) sameOrigin(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.EqualFold(u.Scheme, c.origin.Scheme) && strings.EqualFold(u.Host, c.origin.Host)
}
