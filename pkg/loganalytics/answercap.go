package loganalytics

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Bounds of what the client sends and takes.
const (
	// DefaultMaxAnswerBytes bounds a push-down answer (Config.MaxAnswerBytes):
	// counts of a panel are kilobytes, and an answer this large is cheaper
	// to answer from the store than to decode.
	DefaultMaxAnswerBytes = 16 << 20
	// listAnswerBytes bounds an answer listing sign-ins: a little above the
	// service's own cap of about 64 MB per result, which the client meets by
	// halving the range.
	listAnswerBytes = 80 << 20
	// maxQueryBytes bounds the text of one query: the service refuses larger
	// ones (a 502), so a query whose filters make it longer goes to the store.
	maxQueryBytes = 1 << 20
)

type answerCapKey struct{}

// withAnswerCap bounds the bodies of the answers to requests made with ctx.
func withAnswerCap(ctx context.Context, n int64) context.Context {
	return context.WithValue(ctx, answerCapKey{}, n)
}

// answerTransport reads at most a request's answer cap of a successful
// answer's body, failing with ErrTooLarge past it, and streams its rows to
// the request's sink (streamRows), so that no answer is held whole, let alone
// twice: azlogs would read the body into memory and then decode it
// generically, several times its size.
type answerTransport struct {
	next policy.Transporter
}

func (t answerTransport) Do(req *http.Request) (*http.Response, error) {
	resp, err := t.next.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	if limit, ok := req.Context().Value(answerCapKey{}).(int64); ok {
		if resp.ContentLength > limit {
			_ = resp.Body.Close()
			return nil, tooLarge(limit)
		}
		resp.Body = &cappedBody{ReadCloser: resp.Body, left: limit, limit: limit}
	}
	return streamRows(req, resp)
}

// cappedBody fails a read past its limit.
type cappedBody struct {
	io.ReadCloser
	left, limit int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, _ := b.ReadCloser.Read(one[:]); n > 0 {
			return 0, tooLarge(b.limit)
		}
		return b.ReadCloser.Read(p) // at the end: io.EOF, as the body says
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

// answerTooLarge is an answer past its cap; it is ErrTooLarge.
type answerTooLarge struct{ limit int64 }

func tooLarge(limit int64) error { return &answerTooLarge{limit: limit} }

func (e *answerTooLarge) Error() string {
	return fmt.Sprintf("%v: the workspace's answer is larger than %d MB (the datasource setting maxAnswerMB)", ErrTooLarge, e.limit>>20)
}

func (e *answerTooLarge) Is(target error) bool { return target == ErrTooLarge }
