package plugin

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
)

// Prometheus metrics on the default registry, which the SDK serves to Grafana's
// plugin metrics endpoint. Labelled by datasource UID; never by anything secret.
var (
	graphRequests = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "signinlens", Name: "graph_requests_total",
		Help: "Microsoft Graph requests by HTTP status (0: no response).",
	}, []string{"datasource", "status"})
	graphRetries = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "signinlens", Name: "graph_retries_total",
		Help: "Microsoft Graph request retries by reason (throttled, server, timeout, network, ...).",
	}, []string{"datasource", "reason"})
	graphLatency = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "signinlens", Name: "graph_request_duration_seconds",
		Help:    "Microsoft Graph request latency, until the body was read.",
		Buckets: prometheus.ExponentialBuckets(0.05, 2, 10),
	}, []string{"datasource"})
	eventsDecoded = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "signinlens", Name: "events_decoded_total", Help: "Sign-ins decoded from Graph pages.",
	}, []string{"datasource"})
	bytesDecoded = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "signinlens", Name: "bytes_decoded_total", Help: "Bytes of Graph pages decoded.",
	}, []string{"datasource"})
	warmWindows = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: "signinlens", Name: "warm_windows",
		Help: "Warming the cache at start (warmDays): time windows to load, loaded and given up, by state (total, loaded, failed).",
	}, []string{"datasource", "state"})
)

// counters is one datasource's share of the metrics, kept also as plain numbers
// for the stats resource. It implements azure.Observer, for Graph and a workspace alike.
type counters struct {
	uid       string
	requests  atomic.Int64
	throttled atomic.Int64
	failed    atomic.Int64
	retries   atomic.Int64
	events    atomic.Int64
	bytes     atomic.Int64
}

func (c *counters) Request(status int, d time.Duration) {
	c.requests.Add(1)
	switch {
	case status == http.StatusTooManyRequests:
		c.throttled.Add(1)
	case status == 0 || status >= 400:
		c.failed.Add(1)
	}
	graphRequests.WithLabelValues(c.uid, strconv.Itoa(status)).Inc()
	graphLatency.WithLabelValues(c.uid).Observe(d.Seconds())
}

func (c *counters) Retry(reason string) {
	c.retries.Add(1)
	graphRetries.WithLabelValues(c.uid, reason).Inc()
}

func (c *counters) Decoded(d azure.Decoded) {
	c.events.Add(int64(d.Events))
	c.bytes.Add(int64(d.Bytes))
	eventsDecoded.WithLabelValues(c.uid).Add(float64(d.Events))
	bytesDecoded.WithLabelValues(c.uid).Add(float64(d.Bytes))
}

// forget drops the datasource's series when the instance goes away, so a
// deleted datasource does not report forever.
func (c *counters) forget() {
	for _, v := range []*prometheus.CounterVec{graphRequests, graphRetries, eventsDecoded, bytesDecoded} {
		v.DeletePartialMatch(prometheus.Labels{"datasource": c.uid})
	}
	graphLatency.DeletePartialMatch(prometheus.Labels{"datasource": c.uid})
	warmWindows.DeletePartialMatch(prometheus.Labels{"datasource": c.uid})
}
