package graphsim

import (
	"bytes"
	"crypto/tls"
	"net"
	"net/http"
	"strconv"
	"time"
)

// holdBack waits d (DefaultSlowDelay when 0) and reports whether the client is
// still waiting; a client that gave up cancels the request context.
func holdBack(r *http.Request, d time.Duration) bool {
	if d == 0 {
		d = DefaultSlowDelay
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// cutBody serves the response of the rest of the chain, but only its first
// half, framed as kind says: under the whole body's Content-Length (truncate,
// reset), chunked (truncate-chunked), or as if the half were all there is
// (truncate-json). All but truncate-json then end the connection mid-body.
func cutBody(w http.ResponseWriter, r *http.Request, next http.Handler, kind FaultKind) {
	b := bufferResponse(w, r, next)
	half := b.body.Bytes()[:b.body.Len()/2]
	switch kind {
	case FaultTruncateJSON:
		w.Header().Set("Content-Length", strconv.Itoa(len(half)))
	case FaultTruncateChunked:
		w.Header().Del("Content-Length")
	default:
		w.Header().Set("Content-Length", strconv.Itoa(b.body.Len()))
	}
	w.WriteHeader(b.status)
	w.Write(half)
	if kind != FaultTruncateJSON {
		abortConn(w, kind == FaultReset)
	}
}

// abortConn ends a response without finishing it. On HTTP/1 it hijacks the
// connection and closes it; with reset, abortively (TCP RST), so the client
// reads "connection reset by peer". HTTP/2 cannot be hijacked: the stream is
// reset instead (http.ErrAbortHandler), which a client sees the same way, as
// a body cut short. Such a request is then missing from Stats, whose counter
// the abort unwinds past.
func abortConn(w http.ResponseWriter, reset bool) {
	rc := http.NewResponseController(w)
	_ = rc.Flush() // the half body must be on the wire before the cut
	conn, _, err := rc.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if !reset {
		conn.Close()
		return
	}
	if tc, ok := conn.(*tls.Conn); ok {
		conn = tc.NetConn() // no close_notify: the peer must see a reset, not an orderly end
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	conn.Close()
}

// bufferedResponse captures what the rest of the chain answers, so a fault can
// send it altered. Headers go straight to the real writer's map.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func bufferResponse(w http.ResponseWriter, r *http.Request, next http.Handler) *bufferedResponse {
	b := &bufferedResponse{header: w.Header()}
	next.ServeHTTP(b, r)
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}

// writeTo sends the captured response unchanged.
func (b *bufferedResponse) writeTo(w http.ResponseWriter) {
	w.WriteHeader(b.status)
	w.Write(b.body.Bytes())
}
