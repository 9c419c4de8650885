package graph

import (
	"bytes"
	"fmt"
	"strconv"
)

// flexInt32 accepts a JSON number, a numeric string or null (0). Exports
// disagree on whether status.errorCode is a number, and a misread code would turn
// a failure into a success, so anything else is an error.
type flexInt32 int32

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexInt32) UnmarshalJSON(b []byte) error {
	digits := b
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		digits = bytes.TrimSpace(b[1 : len(b)-1])
	}
	if len(digits) == 0 || string(digits) == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseInt(string(digits), 10, 32)
	if err != nil {
		return fmt.Errorf("errorCode %s is not an integer", b)
	}
	*f = flexInt32(n)
	return nil
}
