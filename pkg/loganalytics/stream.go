package loganalytics

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// rowSink takes the rows of an answer's first table as they are read, after
// its column names. The answer is never held whole: azlogs would read the
// body into memory and decode every row into a [][]any before the first is
// looked at, several times the body's size (BENCHMARKS.md, figure g).
type rowSink interface {
	columns(names []string) error
	row(cells []any) error
}

type rowSinkKey struct{}

// withRowSink streams the first table of the answer to the request made
// with ctx into sink (answerTransport); azlogs sees the answer without its
// rows.
func withRowSink(ctx context.Context, sink rowSink) context.Context {
	return context.WithValue(ctx, rowSinkKey{}, sink)
}

// streamRows reads a successful answer's body, handing the first table's
// rows to the request's sink, and returns the answer as azlogs should see
// it: the same JSON with that table's rows left out (its columns, the other
// tables and the top-level error — a partial answer's — kept).
func streamRows(req *http.Request, resp *http.Response) (*http.Response, error) {
	sink, ok := req.Context().Value(rowSinkKey{}).(rowSink)
	if !ok || resp.StatusCode != http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	rest, err := streamAnswer(resp.Body, sink)
	if err != nil {
		return nil, err
	}
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(rest)), int64(len(rest))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// streamAnswer is streamRows on a body: {"tables":[{...},...],...}.
func streamAnswer(body io.Reader, sink rowSink) ([]byte, error) {
	s := answerStream{dec: json.NewDecoder(body)}
	s.delim('{')
	s.out.WriteByte('{')
	kept, tables := 0, false
	for s.err == nil && s.dec.More() {
		// What the client reads of an answer is its tables and its error (a
		// partial answer's); anything else (statistics, render) is passed
		// over without being held.
		switch key := s.name(); {
		case strings.EqualFold(key, "tables") && tables:
			s.fail(fmt.Errorf("%w: the answer has two tables members", ErrBadAnswer))
		case strings.EqualFold(key, "tables"):
			tables = true
			s.key(kept, key)
			s.tables(sink)
			kept++
		case strings.EqualFold(key, "error"):
			s.key(kept, key)
			s.copyValue()
			kept++
		default:
			s.skipValue()
		}
	}
	s.delim('}')
	s.out.WriteByte('}')
	if s.err != nil {
		return nil, s.err
	}
	return s.out.Bytes(), nil
}

// answerStream is one answer being read: the decoder, what azlogs will be
// given, and the first error.
type answerStream struct {
	dec *json.Decoder
	out bytes.Buffer
	err error
}

func (s *answerStream) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// delim reads the delimiter want.
func (s *answerStream) delim(want json.Delim) {
	if s.err != nil {
		return
	}
	tok, err := s.dec.Token()
	if err != nil {
		s.fail(readError(err))
		return
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		s.fail(fmt.Errorf("%w: the answer has %v where %v belongs", ErrBadAnswer, tok, want))
	}
}

// name reads the next key of an object.
func (s *answerStream) name() string {
	if s.err != nil {
		return ""
	}
	tok, err := s.dec.Token()
	if err != nil {
		s.fail(readError(err))
		return ""
	}
	key, _ := tok.(string) // in an object, the decoder only returns strings here
	return key
}

// key writes out the i-th key of an object.
func (s *answerStream) key(i int, key string) {
	if i > 0 {
		s.out.WriteByte(',')
	}
	quoted, _ := json.Marshal(key) // a string always marshals
	s.out.Write(quoted)
	s.out.WriteByte(':')
}

// skipValue reads the next value token by token, holding none of it.
func (s *answerStream) skipValue() {
	for depth := 0; s.err == nil; {
		tok, err := s.dec.Token()
		if err != nil {
			s.fail(readError(err))
			return
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return
		}
	}
}

// copyValue copies the next value as it is.
func (s *answerStream) copyValue() json.RawMessage {
	var raw json.RawMessage
	if s.err == nil {
		if err := s.dec.Decode(&raw); err != nil {
			s.fail(readError(err))
			return nil
		}
		s.out.Write(raw)
	}
	return raw
}

// tables reads the tables array, streaming the first one's rows to sink.
func (s *answerStream) tables(sink rowSink) {
	s.delim('[')
	s.out.WriteByte('[')
	for i := 0; s.err == nil && s.dec.More(); i++ {
		if i > 0 {
			s.out.WriteByte(',')
		}
		if i == 0 {
			s.table(sink)
		} else {
			s.copyValue()
		}
	}
	s.delim(']')
	s.out.WriteByte(']')
}

// table reads the first table, its rows to sink: the service writes a
// table's columns before its rows, as a row can only be read by name.
func (s *answerStream) table(sink rowSink) {
	s.delim('{')
	s.out.WriteByte('{')
	named, listed := false, false
	for i := 0; s.err == nil && s.dec.More(); i++ {
		key := s.name()
		s.key(i, key)
		switch {
		case strings.EqualFold(key, "columns") && named, strings.EqualFold(key, "rows") && listed:
			// encoding/json would keep the last; rows already handed on
			// cannot be taken back, and no service writes a key twice.
			s.fail(fmt.Errorf("%w: the answer's table has two %s members", ErrBadAnswer, key))
		case strings.EqualFold(key, "columns"):
			s.columns(s.copyValue(), sink)
			named = true
		case strings.EqualFold(key, "rows") && named:
			listed = true
			s.rows(sink)
			s.out.WriteString("[]")
		case strings.EqualFold(key, "rows"):
			s.fail(fmt.Errorf("%w: the answer's rows come before its columns", ErrBadAnswer))
		default:
			s.copyValue()
		}
	}
	s.delim('}')
	s.out.WriteByte('}')
}

func (s *answerStream) columns(raw json.RawMessage, sink rowSink) {
	if s.err != nil {
		return
	}
	var cols []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(raw, &cols); err != nil {
		s.fail(fmt.Errorf("%w: the answer's columns: %v", ErrBadAnswer, err))
		return
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	s.fail(sink.columns(names))
}

// measuredSink is a rowSink told how many bytes of the answer its rows took
// (the client sizes its next listings by them).
type measuredSink interface {
	rowsRead(bytes int64)
}

// rows hands each row to sink as it is decoded: one row is held at a time.
func (s *answerStream) rows(sink rowSink) {
	s.delim('[')
	start := s.dec.InputOffset()
	for s.err == nil && s.dec.More() {
		var cells []any
		if err := s.dec.Decode(&cells); err != nil {
			s.fail(readError(err))
			return
		}
		s.fail(sink.row(cells))
	}
	if m, ok := sink.(measuredSink); ok && s.err == nil {
		m.rowsRead(s.dec.InputOffset() - start)
	}
	s.delim(']')
}

// readError is err as the answer's: JSON that is not an answer's is
// ErrBadAnswer; a failed read (the cap, a cut connection, a body cut short)
// stays itself, for the caller to classify as it would azlogs' read.
func readError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.As(err, &syntax) || errors.As(err, &typ) {
		return fmt.Errorf("%w: %v", ErrBadAnswer, err)
	}
	return err
}
