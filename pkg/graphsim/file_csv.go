package graphsim

// Log Analytics "Export to CSV" of the SigninLogs family of tables. The portal
// writes one row per event with PascalCase columns, JSON text in the dynamic
// cells and times in the browser's display format. Each row is turned back into
// the Graph beta signIn object it was ingested from, so the rest of the
// simulator serves it like any other replayed sign-in.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// csvTables maps what the Type column (table name) and the Category column
// (diagnostic category) hold, lower-cased, to log types. The portal's own
// spelling varies ("SigninLogs" table, "SignInLogs" category), hence the case
// folding.
var csvTables = map[string]signin.LogType{
	"signinlogs":                      signin.Interactive,
	"aadnoninteractiveusersigninlogs": signin.NonInteractive,
	"noninteractiveusersigninlogs":    signin.NonInteractive,
	"aadserviceprincipalsigninlogs":   signin.ServicePrincipal,
	"serviceprincipalsigninlogs":      signin.ServicePrincipal,
	"aadmanagedidentitysigninlogs":    signin.ManagedIdentity,
	"managedidentitysigninlogs":       signin.ManagedIdentity,
}

// looksLikeCSV reports whether data (BOM removed) cannot be JSON: every JSON
// form FileSource reads starts with '{' or '['. Empty input stays JSON, which
// reads as no records.
func looksLikeCSV(data []byte) bool {
	b := firstByte(data)
	return b != 0 && b != '{' && b != '['
}

// decodeCSV converts every data row of a Log Analytics CSV export, in file
// order. Rows are numbered from 1 after the header; errors also give the line
// the row starts on, since JSON cells span lines.
func decodeCSV(data []byte) ([]Record, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: CSV header: %w", ErrBadRecord, err)
	}
	plan, err := newCSVPlan(slices.Clone(header))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadRecord, err)
	}
	var recs []Record
	for row := 1; ; row++ {
		cells, err := r.Read()
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: CSV row %d: %w", ErrBadRecord, row, err)
		}
		rec, err := plan.record(cells)
		if err != nil {
			line, _ := r.FieldPos(0)
			return nil, fmt.Errorf("%w: CSV row %d (line %d): %w", ErrBadRecord, row, line, err)
		}
		recs = append(recs, rec)
	}
}

// csvHeader finds columns by name. Names are matched without case and without
// the " [UTC]" the portal appends to datetime columns.
type csvHeader struct {
	names []string       // as written, for error messages
	index map[string]int // normalised name → first position
}

func newCSVHeader(names []string) (*csvHeader, error) {
	h := &csvHeader{names: names, index: make(map[string]int, len(names))}
	for i, name := range names {
		key, err := headerKey(name)
		if err != nil {
			return nil, err
		}
		if _, dup := h.index[key]; !dup {
			h.index[key] = i
		}
	}
	return h, nil
}

// headerKey normalises a header name. A time column shown in another time zone
// (the portal's "Local Time" setting) is refused: its offset is not in the
// file, so the sign-ins could not be placed in time faithfully. Other bracketed
// names are kept whole, as unknown columns.
func headerKey(name string) (string, error) {
	name = strings.TrimSpace(name)
	base, zone, found := strings.Cut(name, " [")
	if !found {
		return strings.ToLower(name), nil
	}
	base = strings.ToLower(base)
	switch {
	case zone == "UTC]":
		return base, nil
	case base == "createddatetime" || base == "timegenerated":
		return "", fmt.Errorf("CSV column %q: times are not in UTC; export with the display time zone set to UTC", name)
	}
	return strings.ToLower(name), nil
}

// column returns the position of a column, or -1.
func (h *csvHeader) column(name string) int {
	if i, ok := h.index[strings.ToLower(name)]; ok {
		return i
	}
	return -1
}

// kqlTwinSuffixes are what Log Analytics appends to a column whose type differs
// between the tables of a union ("Status_dynamic" from SigninLogs next to
// "Status_string" from AADNonInteractiveUserSignInLogs), in the order tried:
// dynamic first, as it is the typed original, then the plain name.
var kqlTwinSuffixes = []string{"_dynamic", "_string", "", "_bool", "_long", "_int", "_real", "_datetime"}

// columns returns the positions of every column that may hold one of bases:
// each base name with its union twins, in kqlTwinSuffixes order.
func (h *csvHeader) columns(bases ...string) []int {
	var cols []int
	for _, base := range bases {
		for _, suffix := range kqlTwinSuffixes {
			if i := h.column(base + suffix); i >= 0 {
				cols = append(cols, i)
			}
		}
	}
	return cols
}

// first returns the first non-empty cell among cols and its position, or "" and -1.
func first(cells []string, cols []int) (string, int) {
	for _, i := range cols {
		if cells[i] != "" {
			return cells[i], i
		}
	}
	return "", -1
}
