package graphsim

import (
	"bufio"
	"fmt"
	"io"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Collect returns every sign-in of log type lt created in [from, to), newest
// first, straight from the source: no filter, paging, delay or retention. It
// is the ground truth tests compare what a client fetched against; each
// record keeps its Revision, and Record.AsOf gives the version a client
// fetching at a given time is served.
func Collect(src Source, lt signin.LogType, from, to time.Time) ([]Record, error) {
	var out []Record
	if !from.Before(to) {
		return out, nil
	}
	for hour := to.Add(-time.Nanosecond).UTC().Truncate(time.Hour); !hour.Before(from.UTC().Truncate(time.Hour)); hour = hour.Add(-time.Hour) {
		recs, err := src.Hour(lt, hour)
		if err != nil {
			return nil, fmt.Errorf("graphsim: collect %s sign-ins of %s: %w", lt, hour.Format(time.RFC3339), err)
		}
		for i := range recs {
			if !recs[i].Created.Before(from) && recs[i].Created.Before(to) {
				out = append(out, recs[i])
			}
		}
	}
	return out, nil
}

// WriteEnvelope writes records as a Graph page without links,
// {"value":[...]}, one record per line, each record's bytes as served. The
// output is itself a file FileSource reads.
func WriteEnvelope(w io.Writer, recs []Record) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(`{"value":[`)
	for i := range recs {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		bw.Write(recs[i].JSON)
	}
	bw.WriteString("\n]}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("graphsim: write sign-ins: %w", err)
	}
	return nil
}
