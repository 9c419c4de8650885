package graphsim

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// fileSource replays a file of sign-ins, indexed by log type and hour.
type fileSource struct {
	hours       map[hourKey][]Record
	first, last time.Time // the oldest and newest sign-in
	collapsed   map[signin.LogType]int
}

// FileSource replays Graph sign-in objects exactly as a file holds them. It
// accepts what exports actually look like: a Graph page {"value":[...]} (with
// or without @odata keys), a bare JSON array (PowerShell), JSON lines, an
// Event Hub batch {"records":[...]}, and Azure Monitor diagnostic-settings
// records, whose "properties" object is served and whose category gives the
// log type. It also reads a Log Analytics "Export to CSV" of the SigninLogs
// family of tables (any file not starting with '{' or '['): each row is
// converted to the Graph beta signIn object it came from, and its Type or
// Category column gives the log type. A UTF-8 BOM is skipped. Records
// repeating an id already seen for the same log type are dropped, because a
// cursor (createdDateTime, id) could not page past a duplicate and exports
// that overlap are common.
func FileSource(r io.Reader) (Source, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("graphsim: read sign-in file: %w", err)
	}
	return fileSourceOf(data)
}

// fileSourceOf is FileSource on the file's bytes.
func fileSourceOf(data []byte) (Source, error) {
	recs, err := decodeRecords(data)
	if err != nil {
		return nil, err
	}
	return newFileSource(recs), nil
}

func newFileSource(recs []Record) *fileSource {
	s := &fileSource{hours: make(map[hourKey][]Record), collapsed: make(map[signin.LogType]int)}
	for _, rec := range latestVersions(recs, s.collapsed) {
		if s.first.IsZero() || rec.Created.Before(s.first) {
			s.first = rec.Created
		}
		if rec.Created.After(s.last) {
			s.last = rec.Created
		}
		k := hourKey{lt: rec.Type, unix: rec.Created.Truncate(time.Hour).Unix()}
		s.hours[k] = append(s.hours[k], rec)
	}
	for _, hour := range s.hours {
		slices.SortFunc(hour, func(a, b Record) int { return compareNewest(&a, &b) })
	}
	return s
}

// latestVersions keeps one record per log type and id, in file order: the
// one ingested last (a Log Analytics export re-emits a sign-in when it is
// updated, with a later TimeGenerated), else the first (overlapping exports
// repeat the same record). It counts what it collapsed per log type.
func latestVersions(recs []Record, collapsed map[signin.LogType]int) []Record {
	type key struct {
		lt signin.LogType
		id string
	}
	at := make(map[key]int, len(recs))
	out := make([]Record, 0, len(recs))
	for _, rec := range recs {
		k := key{rec.Type, rec.ID}
		i, seen := at[k]
		if !seen {
			at[k] = len(out)
			out = append(out, rec)
			continue
		}
		collapsed[rec.Type]++
		if rec.Generated.After(out[i].Generated) {
			out[i] = rec
		}
	}
	return out
}

// Hour implements Source.
func (s *fileSource) Hour(lt signin.LogType, hour time.Time) ([]Record, error) {
	return s.hours[hourKey{lt: lt, unix: hour.UTC().Truncate(time.Hour).Unix()}], nil
}
