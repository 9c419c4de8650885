package plugin

import (
	"math"
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
// the default is a share of the operator's GOMEMLIMIT, else 2 GiB
// (memguard.DefaultLimit).
var processGuard = sync.OnceValue(func() *memguard.Guard {
	limit := memguard.DefaultLimit(operatorLimit())
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

// softLimit tells Go's garbage collector to work harder as the heap nears the
// query ceiling plus what the datasources' caches may hold (memguard.SoftLimit),
// unless GOMEMLIMIT says otherwise: by default the heap may grow to twice what
// is live before a collection.
func softLimit(ceiling int64) {
	heapBudget.Lock()
	defer heapBudget.Unlock()
	heapBudget.ceiling = ceiling
	applySoftLimit()
}

// heapBudget is what the soft limit is made of. The caches count in full: a
// limit below what they hold would have the collector run without pause
// (BENCHMARKS.md, figure j: 2 GB of cached sign-ins).
var heapBudget struct {
	sync.Mutex
	ceiling int64 // the queries' memory ceiling
	caches  int64 // the cache sizes of the datasources running
}

// reserveCacheMemory adds delta bytes of cache (negative when a datasource
// goes) to the soft limit.
func reserveCacheMemory(delta int64) {
	processGuard() // the ceiling is known before the limit is set
	heapBudget.Lock()
	defer heapBudget.Unlock()
	heapBudget.caches += delta
	applySoftLimit()
}

// operatorLimit is the memory limit the process started with (GOMEMLIMIT,
// which Go reads at start), 0 for none: it is the operator's, and left
// alone. Read from the runtime, once, before the plugin sets one.
var operatorLimit = sync.OnceValue(func() int64 {
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 {
		return limit
	}
	return 0
})

// applySoftLimit sets the limit; heapBudget is locked.
func applySoftLimit() {
	if operatorLimit() > 0 {
		return
	}
	debug.SetMemoryLimit(memguard.SoftLimit(heapBudget.ceiling, heapBudget.caches))
}
