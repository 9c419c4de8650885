//go:build !unix

package bench

import "time"

// cpuTime is not measured here: getrusage is a Unix call.
func cpuTime() time.Duration { return 0 }

// cpuTimeKnown reports whether cpuTime measures anything on this system.
const cpuTimeKnown = false
