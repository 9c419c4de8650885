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
	cacheHits = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "signinlens", Subsystem: "store", Name: "cache_hits_total",
		Help: "Windows answered from a cache layer.",
	}, []string{"datasource", "layer"})
	cacheMisses = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "signinlens", Subsystem: "store", Name: "cache_misses_total",
		Help: "Windows looked up in a cache layer and not found or unusable.",
	}, []string{"datasource", "layer"})
	cacheErrors = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "signinlens", Subsystem: "store", Name: "cache_errors_total",
		Help: "Cache operations that failed (memcached down or timing out); the source answered instead.",
	}, []string{"datasource", "layer"})
	cacheRejected = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "signinlens", Subsystem: "store", Name: "cache_rejected_total",
		Help: "Cached values that failed authentication or decoding: tampered, truncated, moved or another datasource's. Each is refetched.",
	}, []string{"datasource", "layer"})
	leaseWaits = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "signinlens", Subsystem: "store", Name: "lease_waits_total",
		Help: "Windows waited for while another replica fetched them.",
	}, []string{"datasource"})
	windowsLoaded = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "signinlens", Subsystem: "store", Name: "windows_loaded_total",
		Help: "Windows loaded from a cache layer or the source.",
	}, []string{"datasource"})
	windowsPending = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: "signinlens", Subsystem: "store", Name: "windows_pending",
		Help: "Windows being loaded.",
	}, []string{"datasource"})
	sourceRequests = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "signinlens", Subsystem: "store", Name: "source_requests_total",
		Help: "Requests made to the source (Graph pages), after rate limiting.",
	}, []string{"datasource"})
)

// metrics are one store's series.
type metrics struct {
	label    string
	hits     *prometheus.CounterVec
	misses   *prometheus.CounterVec
	errors   *prometheus.CounterVec
	rejected *prometheus.CounterVec
	loaded   prometheus.Counter
	// memHits and memMisses are {layer="l1"}, resolved once: a scan counts one per window.
	memHits, memMisses prometheus.Counter
	// leaseWaits counts windows waited for on another replica's lease.
	leaseWaits prometheus.Counter
	pending    prometheus.Gauge
	requests   prometheus.Counter
}

func newMetrics(label string) *metrics {
	return &metrics{
		label: label, hits: cacheHits, misses: cacheMisses, errors: cacheErrors, rejected: cacheRejected,
		loaded:     windowsLoaded.WithLabelValues(label),
		memHits:    cacheHits.WithLabelValues(label, layerL1),
		memMisses:  cacheMisses.WithLabelValues(label, layerL1),
		leaseWaits: leaseWaits.WithLabelValues(label),
		pending:    windowsPending.WithLabelValues(label),
		requests:   sourceRequests.WithLabelValues(label),
	}
}

// forget drops the store's gauge, which would otherwise report a disposed
// datasource forever. Counters stay: a datasource re-created with new settings
// continues them.
func (m *metrics) forget() { windowsPending.DeleteLabelValues(m.label) }
