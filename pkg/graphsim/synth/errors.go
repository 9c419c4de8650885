package synth

import "errors"

// ErrUnknownSize is returned by New and NewQuiet for a size other than those
// Sizes lists; the caller (a datasource setting or a flag) is at fault.
var ErrUnknownSize = errors.New("synth: unknown tenant size")
