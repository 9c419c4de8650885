package graphsim

import (
	"bytes"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// serveSignIns answers GET /{v1.0|beta}/auditLogs/signIns with one page.
// Without a signInEventTypes clause only interactive sign-ins are listed, as
// Graph does; v1.0 cannot name the other types at all.
func (s *Server) serveSignIns(w http.ResponseWriter, r *http.Request) {
	version := apiVersionOf(strings.Split(strings.Trim(r.URL.Path, "/"), "/")[0])
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		s.writeGraphError(w, r, http.StatusBadRequest, "BadRequest", "Invalid query string: "+err.Error())
		return
	}
	q, err := parseListQuery(version, values)
	if err != nil {
		s.writeGraphError(w, r, http.StatusBadRequest, "BadRequest", clientMessage(err))
		return
	}
	types := typeSetOf(signin.Interactive)
	if q.filter.typesGiven {
		types = q.filter.types
	}
	recs, more, err := collectPage(s.opts.Source, newPageRequest(&q, types, s.now(), s.opts.Delay))
	if err != nil {
		s.writeGraphError(w, r, http.StatusInternalServerError, "UnknownError", "graphsim source: "+err.Error())
		return
	}
	next := ""
	if more {
		last := recs[len(recs)-1]
		token := encodeSkipToken(cursor{created: last.Created, id: last.ID}, queryHash(version, q.filterText))
		next = nextLink(r, values, token)
	}
	s.stats.page(len(recs))
	writePage(w, baseURLOf(r)+"/"+version+"/$metadata#auditLogs/signIns", next, recs)
}

// writePage writes a Graph collection page, records as their raw bytes, in
// Graph's key order (context, nextLink, value).
func writePage(w http.ResponseWriter, contextURL, next string, recs []Record) {
	size := 128 + len(next)
	for i := range recs {
		size += len(recs[i].JSON) + 1
	}
	var b bytes.Buffer
	b.Grow(size)
	b.WriteString(`{"@odata.context":`)
	appendJSONString(&b, contextURL)
	if next != "" {
		b.WriteString(`,"@odata.nextLink":`)
		appendJSONString(&b, next)
	}
	b.WriteString(`,"value":[`)
	for i := range recs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(recs[i].JSON)
	}
	b.WriteString("]}")
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(b.Bytes())
}

// nextLink is the absolute URL of the same request with the new skip token,
// on the host the request came in on, so a client can follow it as given.
func nextLink(r *http.Request, values url.Values, token string) string {
	q := make(url.Values, len(values)+1)
	for k, v := range values {
		if !strings.EqualFold(k, "$skiptoken") {
			q[k] = v
		}
	}
	q.Set("$skiptoken", token)
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: encodeQuery(q)}
	if r.TLS != nil {
		u.Scheme = "https"
	}
	return u.String()
}

// encodeQuery is url.Values.Encode keeping the '$' of option names literal,
// as Graph's own nextLinks do.
func encodeQuery(q url.Values) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(q)) {
		key := url.QueryEscape(k)
		if rest, ok := strings.CutPrefix(key, "%24"); ok {
			key = "$" + rest
		}
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(key)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}

// clientMessage turns a parse error into the message of a 400 body.
func clientMessage(err error) string {
	msg := err.Error()
	if errors.Is(err, ErrBadFilter) || errors.Is(err, ErrBadQuery) || errors.Is(err, ErrBadSkipToken) {
		r, n := utf8.DecodeRuneInString(msg)
		return string(unicode.ToUpper(r)) + msg[n:]
	}
	return msg
}
