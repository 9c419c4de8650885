package graphsim

import (
	"fmt"
	"strconv"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/kql"
)

// answerHead starts the service's answer: one table, PrimaryResult, its
// columns (name and type) and then its rows.
func answerHead(out []kql.Output) *answerBuf {
	b := &answerBuf{}
	b.out = append(b.out, `{"tables":[{"name":"PrimaryResult","columns":[`...)
	for i, c := range out {
		if i > 0 {
			b.out = append(b.out, ',')
		}
		b.out = append(b.out, `{"name":`...)
		b.str(c.Name)
		b.out = append(b.out, `,"type":`...)
		b.str(c.Type)
		b.out = append(b.out, '}')
	}
	b.out = append(b.out, `],"rows":[`...)
	return b
}

// finish closes the table and adds the partial-result error when the rows
// were cut by a limit (partial says which, or is "").
func (b *answerBuf) finish(partial string) []byte {
	b.out = append(b.out, "]}]"...)
	if partial != "" {
		e, _ := marshalGraph(laErrorBody{Code: "PartialError", Message: "There were some errors when processing your query.",
			Details: []laErrorDetail{{Code: "EngineError", Message: partial}}})
		b.out = append(b.out, `,"error":`...)
		b.out = append(b.out, e...)
	}
	return append(b.out, '}', '\n')
}

// writeRows writes the rows, each decoded only now and dropped once
// written. It stops before the row that takes the rows past maxBytes and
// says so; cut says the rows were already cut at maxRows.
func writeRows(b *answerBuf, table *schema, out []kql.Output, rows []laRow, cut bool, maxRows, maxBytes int) []byte {
	cells := make([]cellFunc, len(out))
	for i, o := range out {
		if c := table.byName[o.Source]; c != nil {
			cells[i] = c.cell
		} else {
			cells[i] = func(b *answerBuf, _ *laRow) { b.str("") } // column_ifexists of a missing column
		}
	}
	start, partial := len(b.out), ""
	if cut {
		partial = fmt.Sprintf("Query result set has exceeded the internal record count limit %d records", maxRows)
	}
	for i := range rows {
		mark := len(b.out)
		writeRow(b, cells, &rows[i], i > 0)
		rows[i].si = nil
		if len(b.out)-start > maxBytes {
			b.out = b.out[:mark]
			partial = fmt.Sprintf("Query result set has exceeded the internal data size limit %d bytes", maxBytes)
			break
		}
	}
	return b.finish(partial)
}

func writeRow(b *answerBuf, cells []cellFunc, r *laRow, comma bool) {
	if comma {
		b.out = append(b.out, ',')
	}
	b.out = append(b.out, '[')
	for j, cell := range cells {
		if j > 0 {
			b.out = append(b.out, ',')
		}
		cell(b, r)
	}
	b.out = append(b.out, ']')
}

func appendInt(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }
