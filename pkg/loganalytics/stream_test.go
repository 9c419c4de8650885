package loganalytics

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/query/azlogs"
)

// answerJSON is an answer as the service writes it: two tables, the first
// with a dynamic column and a null, statistics, and a partial error.
const answerJSON = `{"tables":[{"name":"PrimaryResult","columns":[{"name":"Id","type":"string"},{"name":"Status","type":"dynamic"},{"name":"N","type":"long"}],` +
	`"rows":[["a","{\"errorCode\":0}",1],["b",null,2.5],["c","x\"y",-3]]},` +
	`{"name":"Extra","columns":[{"name":"K","type":"string"}],"rows":[["k"]]}],` +
	`"statistics":{"query":{"executionTime":0.1}},"error":{"code":"PartialError","message":"cut"}}`

// TestStreamReadsWhatAzlogsReads: the rows the sink is handed, and the
// answer azlogs is given without them, are together what azlogs reads from
// the whole answer, but for its statistics, which the client never reads.
func TestStreamReadsWhatAzlogsReads(t *testing.T) {
	var whole azlogs.QueryResults
	if err := json.Unmarshal([]byte(answerJSON), &whole); err != nil {
		t.Fatal(err)
	}
	var got Answer
	rest, err := streamAnswer(strings.NewReader(answerJSON), (*answerRows)(&got))
	if err != nil {
		t.Fatal(err)
	}
	var left azlogs.QueryResults
	if err := json.Unmarshal(rest, &left); err != nil {
		t.Fatalf("the answer left for azlogs is not JSON: %v\n%s", err, rest)
	}
	first := whole.Tables[0]
	want := make([][]any, len(first.Rows))
	for i, r := range first.Rows {
		want[i] = r
	}
	if !reflect.DeepEqual(got.Rows, want) || len(got.Columns) != len(first.Columns) {
		t.Fatalf("streamed %v %v; azlogs reads %v", got.Columns, got.Rows, first.Rows)
	}
	for i, c := range first.Columns {
		if got.Columns[i] != *c.Name {
			t.Fatalf("column %d: %q; want %q", i, got.Columns[i], *c.Name)
		}
	}
	whole.Tables[0].Rows, whole.Statistics = []azlogs.Row{}, nil
	if !reflect.DeepEqual(left, whole) {
		t.Fatalf("azlogs is given\n%+v\nwant the answer without the first table's rows\n%+v", left, whole)
	}
}

// TestStreamRefusesWhatIsNoAnswer: rows before their columns cannot be read
// by name, and JSON that is not an answer is ErrBadAnswer; a body cut short
// stays a read error (retried as a cut connection is).
func TestStreamRefusesWhatIsNoAnswer(t *testing.T) {
	for _, c := range []struct {
		body string
		bad  bool
	}{
		{`{"tables":[{"rows":[["a"]],"columns":[{"name":"Id"}]}]}`, true},
		{`{"tables":{}}`, true},
		{`[]`, true},
		{`{"tables":[{"columns":[{"name":"Id"}],"rows":[["a"],`, false},
	} {
		var got Answer
		_, err := streamAnswer(strings.NewReader(c.body), (*answerRows)(&got))
		if err == nil || errors.Is(err, ErrBadAnswer) != c.bad {
			t.Errorf("%s: %v; want an error, ErrBadAnswer %v", c.body, err, c.bad)
		}
	}
}

// FuzzStreamAnswer: no body, however hostile, panics the stream; what it
// leaves for azlogs is always JSON, and it hands on no row it did not read.
func FuzzStreamAnswer(f *testing.F) {
	f.Add([]byte(answerJSON))
	f.Add([]byte(`{"tables":[{"columns":[{"name":"Id"}],"rows":[["a"],["b"]]}]}`))
	f.Add([]byte(`{"tables":[{"rows":[[1]]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var got Answer
		rest, err := streamAnswer(bytes.NewReader(body), (*answerRows)(&got))
		if err != nil {
			return
		}
		if !json.Valid(rest) {
			t.Fatalf("left %q for azlogs", rest)
		}
		var whole struct {
			Tables []struct {
				Rows [][]any `json:"rows"`
			} `json:"tables"`
		}
		if json.Unmarshal(body, &whole) == nil && len(whole.Tables) > 0 && len(whole.Tables[0].Rows) != len(got.Rows) {
			t.Fatalf("%d rows handed on; the body has %d", len(got.Rows), len(whole.Tables[0].Rows))
		}
	})
}
