package query

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
)

// The contract's keys are case-sensitive, but encoding/json matches struct
// fields case-insensitively: {"logType":"interactive","LogType":"servicePrincipal"}
// would read as whichever came last, so two texts that differ only in key
// order would be two queries under one canonical form. checkKeyCase refuses
// a key that is one of the contract's in another case.
var (
	queryKeys  = jsonKeys(reflect.TypeFor[rawQuery]())
	filterKeys = jsonKeys(reflect.TypeFor[rawFilter]())
)

func jsonKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}

// checkKeyCase checks the keys of a query object and of its filters.
func checkKeyCase(data []byte) error {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return nil // not an object: the decoder says why
	}
	if err := keysIn("", top, queryKeys); err != nil {
		return err
	}
	var filters []map[string]json.RawMessage
	if json.Unmarshal(top["filters"], &filters) != nil {
		return nil
	}
	for i, f := range filters {
		if err := keysIn(fmt.Sprintf("filters[%d].", i), f, filterKeys); err != nil {
			return err
		}
	}
	return nil
}

func keysIn(prefix string, obj map[string]json.RawMessage, known []string) error {
	for k := range obj {
		for _, want := range known {
			if k != want && strings.EqualFold(k, want) {
				return fmt.Errorf("%w: key %s%s: keys are case-sensitive; want %q", ErrInvalidQuery, prefix, clip.Quote(k), want)
			}
		}
	}
	return nil
}
