package plugin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// Live tail: Explore's live mode subscribes to a Grafana Live channel of the
// datasource, ds/<uid>/tail/<digest of the query>, with the query as the
// subscription's data. Grafana runs one RunStream per channel, however many
// viewers it has, and cancels it when the last one leaves. Each stream asks
// the store for the query's last minutes every Refresh; the store fetches an
// open window at most once per Refresh whoever asks, so any number of viewers
// and queries cost one request per log type per Refresh.

const tailPathPrefix = "tail/"

// ErrLive is the class of live tail errors.
var ErrLive = errors.New("live tail")

// tailPath is the channel path of a live query: a digest of the query as
// parsed, in its canonical form (the engine's Query, as encoding/json writes
// it), so the path fits Grafana's 160-byte channel names and the
// subscription can prove its data is the query the path names: two texts
// share a channel exactly when they are the same query, whatever their
// spacing, key order or defaults. The frontend asks the tail resource for it
// rather than computing it.
func tailPath(q query.Query) (string, error) {
	canonical, err := json.Marshal(q)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrLive, err)
	}
	sum := sha256.Sum256(canonical)
	return tailPathPrefix + hex.EncodeToString(sum[:20]), nil
}

// tailQuery parses a live query: any query of the contract, followed as logs.
func (ds *Datasource) tailQuery(raw json.RawMessage) (query.Query, error) {
	if ds.span != nil {
		return query.Query{}, fmt.Errorf("%w: a replayed file receives no new sign-ins", ErrLive)
	}
	q, err := query.ParseWith(raw, ds.engine.Limits())
	if err != nil {
		return query.Query{}, err
	}
	if q.Format != query.Logs {
		// Followed as log lines: a batch is as many lines as a logs query's.
		q.Format, q.Limit = query.Logs, query.DefaultLimit(query.Logs)
	}
	return q, nil
}

// SubscribeStream admits a viewer to a tail channel whose path is the digest
// of the query it sends: a channel cannot be made to carry another query than
// its name says, so no one can feed another viewer a tail of their choosing.
func (ds *Datasource) SubscribeStream(_ context.Context, req *backend.SubscribeStreamRequest) (*backend.SubscribeStreamResponse, error) {
	if !strings.HasPrefix(req.Path, tailPathPrefix) {
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusNotFound}, nil
	}
	q, err := ds.tailQuery(req.Data)
	if err != nil {
		return nil, err
	}
	if path, err := tailPath(q); err != nil || path != req.Path {
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusPermissionDenied}, nil
	}
	return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusOK}, nil
}

// PublishStream refuses: viewers only listen.
func (ds *Datasource) PublishStream(context.Context, *backend.PublishStreamRequest) (*backend.PublishStreamResponse, error) {
	return &backend.PublishStreamResponse{Status: backend.PublishStreamStatusPermissionDenied}, nil
}

// tailSlackRefreshes is how many refreshes a live tail looks back beyond a
// window and Freshness.
const tailSlackRefreshes = 5

// RunStream follows the channel's query until Grafana cancels it, sending the
// new sign-ins of each refresh, oldest first, as a log-lines frame.
func (ds *Datasource) RunStream(ctx context.Context, req *backend.RunStreamRequest, sender *backend.StreamSender) error {
	q, err := ds.tailQuery(req.Data)
	if err != nil {
		return err
	}
	if !ds.live.acquire() {
		return fmt.Errorf("%w: %d live tails run already (maxLiveStreams); raise maxLiveStreams or close some", ErrLive, ds.settings.MaxLiveStreams)
	}
	defer ds.live.release()
	// A sign-in that arrives later than a refresh re-reads is read when its
	// window closes, Freshness after the window's end: a tail looking back a
	// window and Freshness delivers it then, once — and a few refreshes
	// more, for a close whose whole read lands a tick or two late (shared
	// with a fetch in flight, or past the time budget).
	tail := ds.engine.Tail(q, store.DefaultWindow+ds.settings.Freshness()+tailSlackRefreshes*ds.settings.Refresh())
	defer tail.Close()
	if err := ds.sendNew(ctx, tail, sender, linkTarget{}); err != nil { // learns what is there already
		return err
	}
	// Every tail ticks at the same multiples of Refresh on the clock: the
	// first to ask refreshes the store, the others share that fetch.
	every := ds.settings.Refresh()
	next := time.Now().Truncate(every).Add(every)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Until(next)):
		}
		next = next.Add(every)
		if err := ds.sendNew(ctx, tail, sender, ds.linkTarget(req.PluginContext, q, time.Now().Add(-time.Hour), time.Now())); err != nil {
			return err
		}
	}
}

// sendNew sends what arrived since the last refresh. A failed refresh is
// logged and retried at the next tick: a source hiccup must not end the tail.
func (ds *Datasource) sendNew(ctx context.Context, tail *query.Tail, sender *backend.StreamSender, link linkTarget) error {
	batch, err := tail.Next(ctx, time.Now())
	if err != nil {
		if ctx.Err() == nil {
			log.DefaultLogger.FromContext(ctx).Warn("Live tail refresh failed; retrying at the next one", "error", err)
		}
		return nil
	}
	if len(batch.Events) == 0 {
		return nil
	}
	frame := logsFrame(&query.LogLines{Events: batch.Events}, link)
	if batch.Waiting > 0 {
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning,
			Text: fmt.Sprintf("%d more new sign-ins wait for the next refresh: more arrived than the query's limit (%d); raise the limit or narrow the filters", batch.Waiting, tail.Limit())})
	}
	if err := sender.SendFrame(frame, data.IncludeAll); err != nil {
		return fmt.Errorf("%w: sending: %w", ErrLive, err)
	}
	return nil
}

// liveSlots bounds the live tails of a datasource (maxLiveStreams).
type liveSlots struct {
	slots chan struct{}
}

func newLiveSlots(n int) *liveSlots { return &liveSlots{slots: make(chan struct{}, n)} }

func (l *liveSlots) acquire() bool {
	select {
	case l.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

func (l *liveSlots) release() { <-l.slots }

// running is how many live tails run now.
func (l *liveSlots) running() int { return len(l.slots) }
