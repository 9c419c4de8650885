package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/dskit/cache"
	"github.com/grafana/dskit/flagext"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// L2 is memcached, reached through dskit's cache client and shared by the
// Grafana replicas of an HA setup, each of which runs its own plugin process
// with its own memory and disk. A closed window missing from both is looked
// up in L2 before the source; a window fetched from the source is written
// through to L2, and a window found in L2 is held in memory.
//
// Memcached is shared and unauthenticated, so nothing read from it is trusted:
//
//   - every value is sealed with AES-256-GCM under a key derived (HKDF-SHA256)
//     from Config.Secret and Config.Namespace, with the value's full logical
//     key as associated data. A value that was tampered with, truncated, copied
//     under another key or written by another datasource fails to open and is a
//     miss: the window is refetched and the rejection counted, never decoded;
//   - item names are an HMAC of the logical key under a second derived key,
//     after a prefix hashed from the namespace: ASCII without spaces, 68
//     bytes where memcached allows 250, revealing neither tenant nor window;
//   - values above the item limit are split into parts (l2_value.go), and a
//     missing part is a miss.
//
// Replicas coordinate fetches with leases (l2_lease.go). Memcached errors never
// fail a query: they are counted, logged at most once a minute as a warning (the
// rest at debug), L2 is skipped for l2Backoff, and the source answers.

// Fixed parameters of L2.
const (
	// minItemBytes is the least item limit Config accepts: below it the part
	// headers would not fit.
	minItemBytes = 1024
	// maxMemcachedTTL is the longest TTL memcached reads as relative; longer
	// ones are Unix times.
	maxMemcachedTTL = 30 * 24 * time.Hour
	// l2Timeout is the socket timeout of one memcached operation. A batch of
	// parts travels on one connection within it, hence more than dskit's 200 ms.
	l2Timeout = 2 * time.Second
	// l2WriteTimeout bounds the writes of one fetch's windows, which Close
	// waits for.
	l2WriteTimeout = 10 * time.Second
	// l2Batch bounds the keys of one memcached get, so a batch of parts near the
	// item limit stays well within l2Timeout.
	l2Batch = 16
	// l2Concurrency bounds the memcached operations one store runs at once.
	l2Concurrency = 16
	// l2Backoff is how long L2 is skipped after an error: a memcached that is
	// down or unreachable then costs one failed operation per l2Backoff, not a
	// timeout on every query.
	l2Backoff = 10 * time.Second
	// l2Reconnect is how often a client that could not be built (an address
	// that does not resolve yet) is built again.
	l2Reconnect = 30 * time.Second
	// l2WarnEvery rate-limits warnings about L2.
	l2WarnEvery = time.Minute
)

// l2 is a store's connection to memcached and its keys.
type l2 struct {
	addrs    []string
	client   atomic.Pointer[cacheRef] // nil until built
	aead     cipher.AEAD
	nameKey  []byte // HMAC key of item names
	prefix   string // readable part of item names
	partMax  int    // plaintext bytes per item
	ttl      time.Duration
	leaseTTL time.Duration

	downUntil atomic.Int64 // Unix ns until which L2 is skipped after an error

	warnMu   sync.Mutex
	warnLast time.Time
	warnHeld int // warnings logged at debug since the last one logged as a warning

	onWait func() // tests: called when a store starts waiting on another's lease
}

// cacheRef boxes the client for atomic.Pointer.
type cacheRef struct {
	c     cache.Cache
	owned bool // built here, so stopped on close
}

// newL2 returns the L2 of cfg, or nil when no memcached is configured.
func newL2(cfg Config) (*l2, error) {
	addrs := splitAddresses(cfg.MemcachedAddresses)
	if len(addrs) == 0 && cfg.l2Cache == nil {
		return nil, nil
	}
	aeadKey, err := hkdf.Key(sha256.New, cfg.Secret, []byte(l2Salt), "aes-256-gcm\x00"+cfg.Namespace, 32)
	if err != nil {
		return nil, fmt.Errorf("deriving the L2 key: %w", err)
	}
	nameKey, err := hkdf.Key(sha256.New, cfg.Secret, []byte(l2Salt), "item-names\x00"+cfg.Namespace, 32)
	if err != nil {
		return nil, fmt.Errorf("deriving the L2 key: %w", err)
	}
	block, err := aes.NewCipher(aeadKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	l := &l2{
		addrs: addrs, aead: aead, nameKey: nameKey,
		prefix:   namePrefix(cfg.Namespace),
		partMax:  cfg.MemcachedItemBytes - itemOverhead - sealOverhead,
		ttl:      memcachedTTL,
		leaseTTL: leaseTTL,
	}
	if cfg.l2Cache != nil {
		l.client.Store(&cacheRef{c: cfg.l2Cache})
	}
	return l, nil
}

// l2Salt is HKDF's salt: a fixed label, so keys derived here differ from any
// other use of the same secret.
const l2Salt = "signinlens/store/l2/v1"

// itemOverhead is what memcached adds to a value within its item limit: the
// item header, CAS, the key (at most 250 bytes) and line ends, rounded up.
const itemOverhead = 512

// splitAddresses parses the comma-separated addresses, ignoring blanks.
func splitAddresses(s string) []string {
	var out []string
	for _, a := range strings.Split(s, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// connect builds the memcached client. Plain addresses need no lookup; a dns+
// or dnssrv+ address that resolves to nothing fails, and the store retries.
func (l *l2) connect(maxItem int) error {
	cfg := cache.MemcachedClientConfig{}
	fs := flag.NewFlagSet("l2", flag.ContinueOnError)
	cfg.RegisterFlagsWithPrefix("", fs) // dskit's defaults
	cfg.Addresses = flagext.StringSliceCSV(l.addrs)
	cfg.Timeout = l2Timeout
	cfg.MaxItemSize = maxItem
	cfg.MaxGetMultiBatchSize = l2Batch
	cfg.MaxIdleConnections = l2Concurrency
	// The client's own metrics are not registered: a datasource re-created with
	// new settings would register them twice. The store's metrics cover L2.
	c, err := cache.NewMemcachedClientWithConfig(kitLogger{}, "signinlens-l2", cfg, nil)
	if err != nil {
		return err
	}
	l.client.Store(&cacheRef{c: c, owned: true})
	return nil
}

// startL2 sets L2 up when memcached is configured. A client that cannot be
// built yet (a dns+ name that does not resolve) is built again every
// l2Reconnect in the background; until then the store runs without L2.
func (s *Store) startL2() {
	l, err := newL2(s.cfg)
	if err != nil {
		log.DefaultLogger.Warn("Memcached (L2) is off", "error", err)
		return
	}
	if l == nil {
		return
	}
	s.l2 = l
	if l.client.Load() != nil {
		return // injected by a test
	}
	if err := l.connect(s.cfg.MemcachedItemBytes); err != nil {
		log.DefaultLogger.Warn("Memcached (L2) is unavailable; retrying in the background", "addresses", l.addrs, "error", err)
		s.wg.Add(1)
		go s.reconnectL2()
		return
	}
	log.DefaultLogger.Debug("Memcached (L2) is on", "addresses", l.addrs)
}

func (s *Store) reconnectL2() {
	s.every(l2Reconnect, func() bool {
		if err := s.l2.connect(s.cfg.MemcachedItemBytes); err != nil {
			return false
		}
		log.DefaultLogger.Info("Memcached (L2) is available", "addresses", s.l2.addrs)
		return true
	})
}

// cache returns the client, or nil while there is none or L2 is backing off.
func (l *l2) cache() cache.Cache {
	ref := l.client.Load()
	if ref == nil || time.Now().UnixNano() < l.downUntil.Load() {
		return nil
	}
	return ref.c
}

func (l *l2) close() {
	if ref := l.client.Load(); ref != nil && ref.owned {
		ref.c.Stop()
	}
}

// namePrefix starts the item names of a namespace: a hash of it, so an
// operator can tell datasources apart without the namespace itself showing.
func namePrefix(ns string) string {
	sum := sha256.Sum256([]byte(ns))
	return "signinlens:" + hex.EncodeToString(sum[:8]) + ":"
}

// itemName is the memcached key of a logical key: the namespace's prefix,
// then a keyed hash of the logical key.
func (l *l2) itemName(logical string) string {
	m := hmac.New(sha256.New, l.nameKey)
	m.Write([]byte(logical))
	return l.prefix + hex.EncodeToString(m.Sum(nil)[:20])
}

// sealOverhead is what seal adds: a version byte, the nonce and the GCM tag.
const sealOverhead = 1 + 12 + 16

const sealVersion byte = 1

// seal encrypts and authenticates plain for the item of logical key.
func (l *l2) seal(logical string, plain []byte) []byte {
	ns := l.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plain)+l.aead.Overhead())
	out[0] = sealVersion
	_, _ = rand.Read(out[1:])                                    // never fails (crypto/rand)
	return l.aead.Seal(out, out[1:1+ns], plain, []byte(logical)) // #nosec G407 -- the nonce is random per value (crypto/rand) and written in out[1:1+ns]
}

// open returns the plaintext of a value sealed for logical key, or an error
// wrapping ErrBadEntry: nothing unauthenticated gets past it.
func (l *l2) open(logical string, sealed []byte) ([]byte, error) {
	ns := l.aead.NonceSize()
	if len(sealed) < 1+ns+l.aead.Overhead() || sealed[0] != sealVersion {
		return nil, fmt.Errorf("%w: not a sealed L2 value", ErrBadEntry)
	}
	plain, err := l.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], []byte(logical))
	if err != nil {
		return nil, fmt.Errorf("%w: L2 value fails authentication: tampered, truncated, moved from another key or written by another datasource", ErrBadEntry)
	}
	return plain, nil
}

// l2Error counts and logs a memcached error and backs L2 off. Lease conflicts
// and a store closing are not errors.
func (s *Store) l2Error(op string, err error) {
	if err == nil || errors.Is(err, cache.ErrNotStored) || errors.Is(err, context.Canceled) {
		return
	}
	s.counts.l2Errors.Add(1)
	s.metrics.errors.WithLabelValues(s.cfg.MetricsLabel, layerL2).Inc()
	s.l2.downUntil.Store(time.Now().Add(l2Backoff).UnixNano())
	s.l2.warn("Memcached (L2) failed; answering from the source", "op", op, "error", err)
}

// reject counts a value read from L2 that could not be used.
func (s *Store) reject(j *job, err error) {
	j.l2Bad = true
	s.counts.l2Rejected.Add(1)
	s.metrics.rejected.WithLabelValues(s.cfg.MetricsLabel, layerL2).Inc()
	s.l2.warn("Rejecting a memcached (L2) value; refetching the window", "key", j.key, "error", err)
}

// warn logs a warning at most once per l2WarnEvery, the rest at debug: a
// memcached that is down would otherwise log on every query.
func (l *l2) warn(msg string, args ...any) {
	l.warnMu.Lock()
	now := time.Now()
	loud := now.Sub(l.warnLast) >= l2WarnEvery
	held := l.warnHeld
	if loud {
		l.warnLast, l.warnHeld = now, 0
	} else {
		l.warnHeld++
	}
	l.warnMu.Unlock()
	if !loud {
		log.DefaultLogger.Debug(msg, args...)
		return
	}
	log.DefaultLogger.Warn(msg, append(args, "similarSinceLastWarning", held)...)
}

// kitLogger passes dskit's go-kit logging to the plugin's logger at debug: the
// store logs what matters about L2 itself, rate-limited.
type kitLogger struct{}

func (kitLogger) Log(keyvals ...any) error {
	msg := "memcached client"
	args := make([]any, 0, len(keyvals))
	for i := 0; i+1 < len(keyvals); i += 2 {
		k := fmt.Sprint(keyvals[i])
		if k == "msg" {
			msg = "memcached client: " + fmt.Sprint(keyvals[i+1])
			continue
		}
		args = append(args, k, fmt.Sprint(keyvals[i+1]))
	}
	log.DefaultLogger.Debug(msg, args...)
	return nil
}
