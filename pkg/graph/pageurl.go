package graph

import (
	"net/url"
	"strconv"
	"strings"
)

// pageRequest is the URL of one page and its $top, which shrinks on timeouts.
type pageRequest struct {
	url      string
	top      int
	nextLink bool // url came from @odata.nextLink (it carries a $skiptoken)
}

// shrink halves $top, not below minPageSize (or the current size if already
// smaller), and rewrites the URL accordingly. It reports whether anything changed.
func (r *pageRequest) shrink() bool {
	floor := min(minPageSize, r.top)
	top := max(r.top/2, floor)
	if top == r.top {
		return false
	}
	r.top, r.url = top, setTop(r.url, top)
	return true
}

// setTop returns raw with its $top parameter set to top. Every other byte stays
// as it was: a nextLink's $skiptoken must not be re-encoded.
func setTop(raw string, top int) string {
	base, query, _ := strings.Cut(raw, "?")
	param := "$top=" + strconv.Itoa(top)
	if query == "" {
		return base + "?" + param
	}
	params := strings.Split(query, "&")
	for i, p := range params {
		if isTopParam(p) {
			params[i] = param
			return base + "?" + strings.Join(params, "&")
		}
	}
	return raw + "&" + param
}

// topOf reads the $top of raw, or returns fallback.
func topOf(raw string, fallback int) int {
	_, query, _ := strings.Cut(raw, "?")
	for _, p := range strings.Split(query, "&") {
		if !isTopParam(p) {
			continue
		}
		_, v, _ := strings.Cut(p, "=")
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			return n
		}
	}
	return fallback
}

// isTopParam matches "$top=…" in any spelling Graph may use ("%24top").
func isTopParam(p string) bool {
	k, _, _ := strings.Cut(p, "=")
	k, err := url.QueryUnescape(k)
	return err == nil && strings.EqualFold(k, "$top")
}
