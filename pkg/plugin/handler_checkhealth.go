package plugin

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// healthTimeout bounds Save & Test: an admin waiting a minute for a retry
// loop to give up learns nothing more than after a few seconds.
const healthTimeout = 10 * time.Second

// CheckHealth asks the source (or the demo tenant, through the same client)
// for what a query needs, and turns what goes wrong into what the admin
// should fix. Problems are reported in the result, never as a Go error. What
// the admin should know although the datasource works (memcached off, the
// cache not saved) follows the answer.
func (ds *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	ok, msg := ds.src.health(ctx)
	if !ok {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: msg}, nil
	}
	msg += ds.span.describe()
	if w := ds.allWarnings(); len(w) > 0 {
		msg += " Note: " + strings.Join(w, "; ") + "."
	}
	return &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: msg}, nil
}

// allWarnings are the datasource's warnings and the store's, as they are now.
func (ds *Datasource) allWarnings() []string {
	return append([]string{}, ds.warnings...)
}

// demoDescription is the health message of a demo datasource.
func demoDescription(s Settings) string {
	api := "Microsoft Graph"
	if s.DemoAPI == APILogAnalytics {
		api = "Log Analytics"
	}
	return fmt.Sprintf("Demo tenant (seed %d, size %s): the built-in %s simulator answered. No Azure account is used.", s.DemoSeed, s.DemoSize, api)
}
