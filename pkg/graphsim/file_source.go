package graphsim

import (
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// fileSource replays a file of sign-ins, indexed by log type and hour.
type fileSource struct {
	hours map[hourKey][]Record
}

// LoadFile reads a file for FileSource.
func LoadFile(path string) (Source, error) {
	data, err := os.ReadFile(path) // sized from the file, unlike io.ReadAll
	if err != nil {
		return nil, fmt.Errorf("graphsim: read sign-in file: %w", err)
	}
	src, err := fileSourceOf(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return src, nil
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
	s := &fileSource{hours: make(map[hourKey][]Record)}
	seen := make(map[signin.LogType]map[string]bool, len(signin.LogTypes))
	for _, rec := range recs {
		if seen[rec.Type] == nil {
			seen[rec.Type] = make(map[string]bool)
		}
		if seen[rec.Type][rec.ID] {
			continue
		}
		seen[rec.Type][rec.ID] = true
		k := hourKey{lt: rec.Type, unix: rec.Created.Truncate(time.Hour).Unix()}
		s.hours[k] = append(s.hours[k], rec)
	}
	for _, hour := range s.hours {
		slices.SortFunc(hour, func(a, b Record) int { return compareNewest(&a, &b) })
	}
	return s
}

// Hour implements Source.
func (s *fileSource) Hour(lt signin.LogType, hour time.Time) ([]Record, error) {
	return s.hours[hourKey{lt: lt, unix: hour.UTC().Truncate(time.Hour).Unix()}], nil
}
