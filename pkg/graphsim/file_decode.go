package graphsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// diagnosticCategories maps Azure Monitor diagnostic-settings categories to
// log types. Other categories (AuditLogs, MicrosoftServicePrincipalSignInLogs,
// ...) have no Graph signIns counterpart and are rejected rather than guessed.
var diagnosticCategories = map[string]signin.LogType{
	"SignInLogs":                   signin.Interactive,
	"NonInteractiveUserSignInLogs": signin.NonInteractive,
	"ServicePrincipalSignInLogs":   signin.ServicePrincipal,
	"ManagedIdentitySignInLogs":    signin.ManagedIdentity,
}

// envelope is what a top-level object may wrap records in: a Graph page
// ("value") or an Event Hub batch ("records").
type envelope struct {
	Value   json.RawMessage `json:"value"`
	Records json.RawMessage `json:"records"`
}

// diagnosticRecord is an Azure Monitor diagnostic-settings record.
type diagnosticRecord struct {
	Category   json.RawMessage `json:"category"`
	Properties json.RawMessage `json:"properties"`
}

// decoder turns top-level JSON values into records, numbering every sign-in
// object so errors can name the one at fault.
type decoder struct {
	recs []Record
}

// decodeRecords reads a stream of JSON values (one value, or JSON lines), or a
// Log Analytics CSV export, and returns every sign-in in it, in file order.
func decodeRecords(data []byte) ([]Record, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if looksLikeCSV(data) {
		return decodeCSV(data)
	}
	recs, err := decodeJSONValues(data)
	if err != nil {
		if repaired := withoutTrailingCommas(data); len(repaired) != len(data) {
			if recs, rerr := decodeJSONValues(repaired); rerr == nil {
				return recs, nil
			}
		}
	}
	return recs, err
}

// decodeJSONValues reads a stream of JSON values (one value, or JSON lines).
func decodeJSONValues(data []byte) ([]Record, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	d := &decoder{}
	for {
		var v json.RawMessage
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return d.recs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: record %d: %v", ErrBadRecord, len(d.recs), err)
		}
		if err := d.value(v); err != nil {
			return nil, err
		}
	}
}

// value handles one top-level value or one element of an array.
func (d *decoder) value(v json.RawMessage) error {
	switch firstByte(v) {
	case '[':
		return d.array(v)
	case '{':
		return d.object(v)
	}
	return fmt.Errorf("%w: record %d: want a JSON object, got %.20s", ErrBadRecord, len(d.recs), v)
}

func (d *decoder) array(v json.RawMessage) error {
	var items []json.RawMessage
	if err := json.Unmarshal(v, &items); err != nil {
		return fmt.Errorf("%w: record %d: %v", ErrBadRecord, len(d.recs), err)
	}
	for _, item := range items {
		if firstByte(item) != '{' {
			return fmt.Errorf("%w: record %d: want a JSON object, got %.20s", ErrBadRecord, len(d.recs), item)
		}
		if err := d.object(item); err != nil {
			return err
		}
	}
	return nil
}

// object unwraps envelopes and diagnostic records, then parses the sign-in.
func (d *decoder) object(v json.RawMessage) error {
	var env envelope
	if err := json.Unmarshal(v, &env); err == nil {
		switch {
		case firstByte(env.Value) == '[':
			return d.array(env.Value)
		case firstByte(env.Records) == '[':
			return d.array(env.Records)
		}
	}
	raw, lt, err := unwrapDiagnostic(v)
	if err != nil {
		return fmt.Errorf("%w: record %d: %v", ErrBadRecord, len(d.recs), err)
	}
	rec, err := parseRecord(raw, lt)
	if err != nil {
		return fmt.Errorf("%w: record %d: %v", ErrBadRecord, len(d.recs), err)
	}
	d.recs = append(d.recs, rec)
	return nil
}

// unwrapDiagnostic returns the sign-in object of a diagnostic-settings record
// and its log type, or v itself and nil when v is a plain Graph object.
func unwrapDiagnostic(v json.RawMessage) (json.RawMessage, *signin.LogType, error) {
	var diag diagnosticRecord
	if err := json.Unmarshal(v, &diag); err != nil || firstByte(diag.Properties) != '{' || len(diag.Category) == 0 {
		return v, nil, nil
	}
	var category string
	if err := json.Unmarshal(diag.Category, &category); err != nil {
		return nil, nil, fmt.Errorf("diagnostic record category: %w", err)
	}
	lt, ok := diagnosticCategories[category]
	if !ok {
		return nil, nil, fmt.Errorf("diagnostic record category %q is not a sign-in log", category)
	}
	return diag.Properties, &lt, nil
}

// firstByte returns the first non-space byte of a JSON value, or 0.
func firstByte(v []byte) byte {
	v = bytes.TrimLeft(v, " \t\r\n")
	if len(v) == 0 {
		return 0
	}
	return v[0]
}
