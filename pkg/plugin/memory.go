package plugin

import (
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/signinlens/signinlens-entra-datasource/pkg/memguard"
)

// processGuard is the memory ceiling shared by every query of every
// datasource of this process: one process serves them all, and a query that
// took it out of memory would take every dashboard and alert rule with it. The
// server admin sets it with query_memory_limit_mb (GF_PLUGIN_QUERY_MEMORY_LIMIT_MB);
// the default is a share of the host's memory (memguard.DefaultLimit).
var processGuard = sync.OnceValue(func() *memguard.Guard {
	limit := memguard.DefaultLimit()
	if raw := strings.TrimSpace(os.Getenv(envQueryMemoryLimitMB)); raw != "" {
		mb, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || mb < 16 {
			log.DefaultLogger.Warn("Ignoring "+envQueryMemoryLimitMB+": want a whole number of MB, at least 16", "value", raw)
		} else {
			limit = mb << 20
		}
	}
	softLimit(limit)
	return memguard.New(limit)
})

// softLimit tells Go's garbage collector to work harder as the heap nears
// twice the query ceiling (at least 512 MB), unless GOMEMLIMIT says otherwise:
// by default the heap may grow to twice what is live before a collection, so
// queries holding the ceiling could cost the host twice that.
func softLimit(ceiling int64) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(max(2*ceiling, 512<<20))
}
