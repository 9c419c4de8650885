package store

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Cache layers as they appear in the "layer" label.
const (
	layerL1   = "l1" // memory
	layerDisk = "disk"
	layerL2   = "l2"
)

// The metrics are registered once on the default registry, which the plugin SDK
// serves; each store writes its own "datasource" series.
var (
	cacheHits      = storeCounter("cache_hits_total", "Windows answered from a cache layer.", "layer")
	cacheMisses    = storeCounter("cache_misses_total", "Windows looked up in a cache layer and not found or unusable.", "layer")
	cacheErrors    = storeCounter("cache_errors_total", "Cache operations that failed (memcached down or timing out); the source answered instead.", "layer")
	cacheRejected  = storeCounter("cache_rejected_total", "Cached values that failed authentication or decoding: tampered, truncated, moved or another datasource's. Each is refetched.", "layer")
	leaseWaits     = storeCounter("lease_waits_total", "Windows waited for while another replica fetched them.")
	windowsLoaded  = storeCounter("windows_loaded_total", "Windows loaded from a cache layer or the source.")
	windowsPending = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: "signinlens", Subsystem: "store", Name: "windows_pending",
		Help: "Windows being loaded.",
	}, []string{"datasource"})
	revalidations  = storeCounter("revalidations_total", "Revalidations of recently closed windows for sign-ins that changed (a risk remediated).")
	sourceRequests = storeCounter("source_requests_total", "Requests made to the source (Graph pages), after rate limiting.")
)

// storeCounter registers signinlens_store_<name>, by datasource and labels.
func storeCounter(name, help string, labels ...string) *prometheus.CounterVec {
	return promauto.NewCounterVec(prometheus.CounterOpts{Namespace: "signinlens", Subsystem: "store", Name: name, Help: help},
		append([]string{"datasource"}, labels...))
}

// metrics are one store's series.
type metrics struct {
	label    string
	hits     *prometheus.CounterVec
	misses   *prometheus.CounterVec
	errors   *prometheus.CounterVec
	rejected *prometheus.CounterVec
	loaded   prometheus.Counter
	// memHits and memMisses are {layer="l1"}, resolved once: a scan counts its windows.
	memHits, memMisses prometheus.Counter
	// leaseWaits counts windows waited for on another replica's lease.
	leaseWaits    prometheus.Counter
	pending       prometheus.Gauge
	requests      prometheus.Counter
	revalidations prometheus.Counter
}

func newMetrics(label string) *metrics {
	return &metrics{
		label: label, hits: cacheHits, misses: cacheMisses, errors: cacheErrors, rejected: cacheRejected,
		loaded:        windowsLoaded.WithLabelValues(label),
		memHits:       cacheHits.WithLabelValues(label, layerL1),
		memMisses:     cacheMisses.WithLabelValues(label, layerL1),
		leaseWaits:    leaseWaits.WithLabelValues(label),
		pending:       windowsPending.WithLabelValues(label),
		requests:      sourceRequests.WithLabelValues(label),
		revalidations: revalidations.WithLabelValues(label),
	}
}

// forget drops the store's gauge, which would otherwise report a disposed
// datasource forever. Counters stay: a datasource re-created with new settings
// continues them.
func (m *metrics) forget() { windowsPending.DeleteLabelValues(m.label) }
