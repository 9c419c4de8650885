// Package plugintest plays Grafana for tests and benchmarks: it builds the plugin
// binary, launches it through the go-plugin handshake exactly as Grafana does, and
// calls its gRPC services with the SDK's own request and response types.
package plugintest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

// Build compiles the plugin's main package (./pkg of the module rooted at
// moduleDir) into dir and returns the binary's path.
func Build(moduleDir, dir string) (string, error) {
	bin := filepath.Join(dir, "gpx_signinlens")
	if err := GoBuild(moduleDir, "./pkg", bin); err != nil {
		return "", fmt.Errorf("building the plugin: %w", err)
	}
	return bin, nil
}

// GoBuild builds the package pkg of the module in moduleDir into bin.
func GoBuild(moduleDir, pkg, bin string) error {
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir = moduleDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, out)
	}
	return nil
}

// Host is a running plugin process.
type Host struct {
	client *goplugin.Client
	data   pluginv2.DataClient
	diag   pluginv2.DiagnosticsClient
	res    pluginv2.ResourceClient
	stream pluginv2.StreamClient
}

// Option changes how Launch runs the plugin.
type Option func(*launchConfig)

type launchConfig struct {
	logLevel log.Level
}

// LogLevel sets the level the plugin logs at: the least level of its log
// lines that reach Launch's logOut (default log.Info). The SDK's logger in the
// plugin writes every line from Debug up to its stderr; the host, as Grafana
// does with its log filter for the plugin, drops the lines below its level.
func LogLevel(l log.Level) Option {
	return func(c *launchConfig) { c.logLevel = l }
}

// Launch starts the binary with extra environment variables (KEY=value) and
// connects to it. Its log output goes to logOut (io.Discard if nil), at
// log.Info and above unless LogLevel says otherwise.
func Launch(bin string, env []string, logOut io.Writer, opts ...Option) (*Host, error) {
	if logOut == nil {
		logOut = io.Discard
	}
	cfg := launchConfig{logLevel: log.Info}
	for _, o := range opts {
		o(&cfg)
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), env...)
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		Plugins: goplugin.PluginSet{
			"data":        &grpcplugin.DataGRPCPlugin{},
			"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
			"resource":    &grpcplugin.ResourceGRPCPlugin{},
			"stream":      &grpcplugin.StreamGRPCPlugin{},
		},
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		// The SDK's levels are hclog's (log.NewWithLevel converts them so).
		Logger:     hclog.New(&hclog.LoggerOptions{Output: logOut, Level: hclog.Level(cfg.logLevel)}),
		SyncStdout: logOut,
		SyncStderr: logOut,
	})
	h, err := connect(client)
	if err != nil {
		client.Kill()
		return nil, err
	}
	return h, nil
}

func connect(client *goplugin.Client) (*Host, error) {
	rpc, err := client.Client()
	if err != nil {
		return nil, fmt.Errorf("plugin handshake: %w", err)
	}
	h := &Host{client: client}
	for name, dst := range map[string]any{"data": &h.data, "diagnostics": &h.diag, "resource": &h.res, "stream": &h.stream} {
		raw, err := rpc.Dispense(name)
		if err != nil {
			return nil, fmt.Errorf("dispensing %s: %w", name, err)
		}
		if err := assign(dst, raw); err != nil {
			return nil, fmt.Errorf("dispensing %s: %w", name, err)
		}
	}
	return h, nil
}

func assign(dst, raw any) error {
	switch d := dst.(type) {
	case *pluginv2.DataClient:
		c, ok := raw.(pluginv2.DataClient)
		*d = c
		return okOr(ok)
	case *pluginv2.DiagnosticsClient:
		c, ok := raw.(pluginv2.DiagnosticsClient)
		*d = c
		return okOr(ok)
	case *pluginv2.ResourceClient:
		c, ok := raw.(pluginv2.ResourceClient)
		*d = c
		return okOr(ok)
	case *pluginv2.StreamClient:
		c, ok := raw.(pluginv2.StreamClient)
		*d = c
		return okOr(ok)
	}
	return errors.New("unknown client type")
}

func okOr(ok bool) error {
	if !ok {
		return errors.New("unexpected client type")
	}
	return nil
}

// Close stops the plugin process.
func (h *Host) Close() { h.client.Kill() }

// QueryData sends a request and converts the answer back to SDK types.
func (h *Host) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp, err := h.data.QueryData(ctx, backend.ToProto().QueryDataRequest(req))
	if err != nil {
		return nil, err
	}
	return backend.FromProto().QueryDataResponse(resp)
}

// CheckHealth runs the datasource's health check.
func (h *Host) CheckHealth(ctx context.Context, req *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	resp, err := h.diag.CheckHealth(ctx, &pluginv2.CheckHealthRequest{
		PluginContext: backend.ToProto().PluginContext(req.PluginContext),
		Headers:       req.Headers,
	})
	if err != nil {
		return nil, err
	}
	return backend.FromProto().CheckHealthResponse(resp), nil
}

// CollectMetrics asks the plugin for its metrics, as Grafana's plugin metrics
// endpoint (/api/plugins/<id>/metrics) does; the result holds them in
// Prometheus' text format.
func (h *Host) CollectMetrics(ctx context.Context) (*backend.CollectMetricsResult, error) {
	resp, err := h.diag.CollectMetrics(ctx, &pluginv2.CollectMetricsRequest{
		PluginContext: backend.ToProto().PluginContext(backend.PluginContext{PluginID: PluginID}),
	})
	if err != nil {
		return nil, err
	}
	return backend.FromProto().CollectMetricsResponse(resp), nil
}

// CallResource sends a resource request and joins the streamed answer.
func (h *Host) CallResource(ctx context.Context, req *backend.CallResourceRequest) (*backend.CallResourceResponse, error) {
	stream, err := h.res.CallResource(ctx, backend.ToProto().CallResourceRequest(req))
	if err != nil {
		return nil, err
	}
	var out *backend.CallResourceResponse
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		part := backend.FromProto().CallResourceResponse(msg)
		if out == nil {
			out = part
			continue
		}
		out.Body = append(out.Body, part.Body...)
	}
	if out == nil {
		return nil, errors.New("empty resource response")
	}
	return out, nil
}

// PeakRSS is the most resident memory the plugin process has used so far
// (VmHWM on Linux), in bytes: what bounds the tests of hostile queries
// measure. It fails where /proc is not there.
func (h *Host) PeakRSS() (int64, error) {
	rc := h.client.ReattachConfig()
	if rc == nil {
		return 0, errors.New("the plugin process is not running")
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", rc.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb); err != nil {
				return 0, fmt.Errorf("reading VmHWM: %w", err)
			}
			return kb << 10, nil
		}
	}
	return 0, errors.New("no VmHWM in /proc/<pid>/status")
}
