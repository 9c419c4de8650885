package graphsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// csvPlan is a CSV header resolved once into the positions each Graph property
// is read from, so rows convert without name lookups.
type csvPlan struct {
	h                 *csvHeader
	id                []int
	created           []int // CreatedDateTime: when the sign-in happened
	generated         []int // TimeGenerated: when Log Analytics stored it, the fallback
	table             []int // Type
	category          []int // Category
	status            []int
	resultType        []int
	resultDescription []int
	msi               []int // ManagedServiceIdentity, a dynamic object
	msiType           []int
	msiResource       []int
	fields            []plannedField
}

// plannedField is a csvField with the positions of its columns in this file.
type plannedField struct {
	csvField
	cols []int
}

// newCSVPlan resolves a header. It needs an id, a time and a log type for each
// row; without those columns the file is not a sign-in export at all.
func newCSVPlan(names []string) (*csvPlan, error) {
	h, err := newCSVHeader(names)
	if err != nil {
		return nil, err
	}
	p := &csvPlan{
		h:                 h,
		id:                h.columns("Id"),
		created:           h.columns("CreatedDateTime"),
		generated:         h.columns("TimeGenerated"),
		table:             h.columns("Type"),
		category:          h.columns("Category"),
		status:            h.columns("Status"),
		resultType:        h.columns("ResultType"),
		resultDescription: h.columns("ResultDescription"),
		msi:               h.columns("ManagedServiceIdentity"),
		msiType:           h.columns("MsiType"),
		msiResource:       h.columns("AssociatedResourceId"),
	}
	if err := p.checkRequired(); err != nil {
		return nil, err
	}
	for _, f := range csvFields {
		if cols := h.columns(f.columns...); len(cols) > 0 {
			p.fields = append(p.fields, plannedField{csvField: f, cols: cols})
		}
	}
	return p, nil
}

func (p *csvPlan) checkRequired() error {
	missing := ""
	switch {
	case len(p.id) == 0:
		missing = "Id"
	case len(p.created) == 0 && len(p.generated) == 0:
		missing = "CreatedDateTime or TimeGenerated"
	case len(p.table) == 0 && len(p.category) == 0:
		missing = "Type or Category"
	default:
		return nil
	}
	return fmt.Errorf("not JSON, and not a Log Analytics sign-in CSV export: its header has no %s column", missing)
}

// record converts one row into a Graph signIn object and reads it back as the
// JSON formats are read, so every format yields records the same way.
func (p *csvPlan) record(cells []string) (Record, error) {
	raw, lt, err := p.object(cells)
	if err != nil {
		return Record{}, err
	}
	rec, err := parseRecord(raw, &lt)
	if err != nil {
		return Record{}, err
	}
	if v, i := first(cells, p.generated); i >= 0 {
		if s, err := csvTime(v); err == nil {
			rec.Generated, _ = time.Parse(time.RFC3339Nano, s)
		}
	}
	return rec, nil
}

// object builds the Graph signIn object of a row and returns its log type.
func (p *csvPlan) object(cells []string) ([]byte, signin.LogType, error) {
	lt, err := p.logType(cells)
	if err != nil {
		return nil, 0, err
	}
	id, _ := first(cells, p.id)
	if id == "" {
		return nil, 0, p.emptyError(p.id)
	}
	created, err := p.createdDateTime(cells)
	if err != nil {
		return nil, 0, err
	}
	var o jsonObject
	o.b.Grow(rowSize(cells) + 48*len(p.fields)) // the cells plus names and quotes, in one allocation
	o.text("id", id)
	o.text("createdDateTime", created)
	o.member("signInEventTypes", []byte(`["`+lt.GraphEventType()+`"]`))
	for i := range p.fields {
		if err := p.addField(&o, &p.fields[i], cells); err != nil {
			return nil, 0, err
		}
	}
	if err := p.addStatus(&o, cells); err != nil {
		return nil, 0, err
	}
	if err := p.addManagedIdentity(&o, cells); err != nil {
		return nil, 0, err
	}
	return o.bytes(), lt, nil
}

// logType reads the table name (Type), else the diagnostic category. A row of
// another table (a union with AuditLogs, say) is an error, not a guess.
func (p *csvPlan) logType(cells []string) (signin.LogType, error) {
	for _, cols := range [][]int{p.table, p.category} {
		v, i := first(cells, cols)
		if i < 0 {
			continue
		}
		lt, ok := csvTables[strings.ToLower(strings.TrimSpace(v))]
		if !ok {
			return 0, p.cellError(i, fmt.Errorf("%q is not a sign-in log table", v))
		}
		return lt, nil
	}
	return 0, p.emptyError(p.table, p.category)
}

// createdDateTime reads CreatedDateTime, falling back to TimeGenerated, which
// the service-principal and managed-identity tables have instead and which
// trails CreatedDateTime by the ingestion delay only.
func (p *csvPlan) createdDateTime(cells []string) (string, error) {
	for _, cols := range [][]int{p.created, p.generated} {
		v, i := first(cells, cols)
		if i < 0 {
			continue
		}
		s, err := csvTime(v)
		if err != nil {
			return "", p.cellError(i, err)
		}
		return s, nil
	}
	return "", p.emptyError(p.created, p.generated)
}

// addField adds one table-driven property.
func (p *csvPlan) addField(o *jsonObject, f *plannedField, cells []string) error {
	cell, i := first(cells, f.cols)
	if f.kind == textCell {
		o.text(f.graph, cell)
		return nil
	}
	if i < 0 {
		return nil
	}
	v, err := convertCell(f.kind, cell)
	if err != nil {
		return p.cellError(i, err)
	}
	if v != nil {
		o.member(f.graph, v)
	}
	return nil
}

// convertCell converts a non-empty cell of a kind other than textCell; nil
// means the property is absent (a JSON null).
func convertCell(kind cellKind, cell string) ([]byte, error) {
	switch kind {
	case intCell:
		n, err := strconv.ParseInt(strings.TrimSpace(cell), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", cell)
		}
		return strconv.AppendInt(nil, n, 10), nil
	case boolCell:
		b, err := strconv.ParseBool(strings.TrimSpace(cell))
		if err != nil {
			return nil, fmt.Errorf("%q is not TRUE or FALSE", cell)
		}
		return strconv.AppendBool(nil, b), nil
	case objectCell:
		return jsonText(cell, '{')
	case arrayCell:
		return jsonText(cell, '[')
	case looseJSONCell:
		if v, err := jsonText(cell, 0); err == nil {
			return v, nil
		}
		return jsonString(cell), nil
	}
	return nil, fmt.Errorf("cell kind %d not handled", kind)
}

// addStatus adds status: the Status column's object, completed from ResultType
// and ResultDescription. The service-principal and managed-identity tables
// have no Status column at all, and a status without errorCode would read as a
// success however the sign-in ended.
func (p *csvPlan) addStatus(o *jsonObject, cells []string) error {
	raw, err := p.jsonColumn(cells, p.status, '{')
	if err != nil {
		return err
	}
	fields := map[string]json.RawMessage{}
	if raw != nil {
		if err := json.Unmarshal(raw, &fields); err != nil {
			return fmt.Errorf("status: %w", err)
		}
	}
	added, err := p.completeStatus(fields, cells)
	if err != nil {
		return err
	}
	if added {
		if raw, err = marshalGraph(fields); err != nil {
			return fmt.Errorf("status: %w", err)
		}
	}
	if raw != nil {
		o.member("status", raw)
	}
	return nil
}

// completeStatus fills a missing errorCode from ResultType (the code as text, 0
// for success) and a missing failureReason from ResultDescription, and reports
// whether it added either.
func (p *csvPlan) completeStatus(fields map[string]json.RawMessage, cells []string) (bool, error) {
	added := false
	if isJSONNull(fields["errorCode"]) {
		if v, i := first(cells, p.resultType); i >= 0 {
			code, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
			if err != nil {
				return false, p.cellError(i, fmt.Errorf("%q is not an error code", v))
			}
			fields["errorCode"] = strconv.AppendInt(nil, code, 10)
			added = true
		}
	}
	if isJSONNull(fields["failureReason"]) {
		if v, i := first(cells, p.resultDescription); i >= 0 {
			fields["failureReason"] = jsonString(v)
			added = true
		}
	}
	return added, nil
}

// addManagedIdentity adds managedServiceIdentity from its dynamic column, or
// from separate MsiType and AssociatedResourceId columns when a query
// projected them.
func (p *csvPlan) addManagedIdentity(o *jsonObject, cells []string) error {
	raw, err := p.jsonColumn(cells, p.msi, '{')
	if err != nil {
		return err
	}
	if raw == nil {
		msiType, i := first(cells, p.msiType)
		resource, j := first(cells, p.msiResource)
		if i < 0 && j < 0 {
			return nil
		}
		var msi jsonObject
		msi.text("msiType", msiType)
		msi.text("associatedResourceId", resource)
		raw = msi.bytes()
	}
	o.member("managedServiceIdentity", raw)
	return nil
}

// jsonColumn returns the first non-empty cell of cols as compact JSON of the
// wanted shape, or nil when all are empty or null.
func (p *csvPlan) jsonColumn(cells []string, cols []int, want byte) ([]byte, error) {
	cell, i := first(cells, cols)
	if i < 0 {
		return nil, nil
	}
	v, err := jsonText(cell, want)
	if err != nil {
		return nil, p.cellError(i, err)
	}
	return v, nil
}

// cellError names the column at fault as the header spells it.
func (p *csvPlan) cellError(col int, err error) error {
	return fmt.Errorf("column %q: %w", p.h.names[col], err)
}

// emptyError reports that every column that could hold a required value is
// empty, naming the first of them.
func (p *csvPlan) emptyError(lists ...[]int) error {
	for _, cols := range lists {
		if len(cols) > 0 {
			return fmt.Errorf("column %q: empty", p.h.names[cols[0]])
		}
	}
	return errors.New("required column missing") // newCSVPlan checked they exist
}

// jsonText compacts a cell of JSON text, checking its first byte is want
// (0: any value). Compacting drops the indentation and line breaks that string
// columns such as AuthenticationDetails carry. "null" yields nil.
func jsonText(cell string, want byte) ([]byte, error) {
	text := strings.TrimSpace(cell)
	if text == "null" {
		return nil, nil
	}
	if want != 0 && (text == "" || text[0] != want) {
		return nil, fmt.Errorf("want JSON starting with %q, got %.20q", want, text)
	}
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(text)); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	return b.Bytes(), nil
}

// isJSONNull reports whether a member is missing or null.
func isJSONNull(v json.RawMessage) bool {
	return len(v) == 0 || string(v) == "null"
}

// jsonString returns s as a JSON string.
func jsonString(s string) []byte {
	var b bytes.Buffer
	writeJSONString(&b, s)
	return b.Bytes()
}

// writeJSONString writes s as a JSON string. Most cells are plain ASCII and
// are copied between quotes; the rest go through encoding/json's escaping.
// This is the hot path of converting a large export.
func writeJSONString(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			appendJSONString(b, s)
			return
		}
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

// rowSize is the total length of a row's cells.
func rowSize(cells []string) int {
	n := 0
	for _, c := range cells {
		n += len(c)
	}
	return n
}

// jsonObject writes a JSON object member by member, in the order given, which
// keeps converted rows in Graph's property order.
type jsonObject struct {
	b bytes.Buffer
}

func (o *jsonObject) member(key string, value []byte) {
	if o.b.Len() == 0 {
		o.b.WriteByte('{')
	} else {
		o.b.WriteByte(',')
	}
	writeJSONString(&o.b, key)
	o.b.WriteByte(':')
	o.b.Write(value)
}

func (o *jsonObject) text(key, value string) {
	o.member(key, nil)
	writeJSONString(&o.b, value)
}

// bytes returns the object; it must not be written to afterwards.
func (o *jsonObject) bytes() []byte {
	if o.b.Len() == 0 {
		return []byte("{}")
	}
	o.b.WriteByte('}')
	return o.b.Bytes()
}
