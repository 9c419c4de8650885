package e2e

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// memcachedConn speaks memcached's text protocol over a plain TCP connection,
// so a test can see what memcached holds without going through the plugin's
// client.
type memcachedConn struct {
	t    *testing.T
	addr string
	conn net.Conn
	r    *bufio.Reader
}

func dialMemcached(t *testing.T, addr string) *memcachedConn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("memcached at %s: %v", addr, err)
	}
	t.Cleanup(func() { conn.Close() })
	return &memcachedConn{t: t, addr: addr, conn: conn, r: bufio.NewReader(conn)}
}

// do sends one command (and data, if any) and returns the first line of the reply.
func (m *memcachedConn) do(cmd string, data []byte) string {
	m.t.Helper()
	if err := m.conn.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		m.t.Fatal(err)
	}
	msg := cmd + "\r\n"
	if data != nil {
		msg += string(data) + "\r\n"
	}
	if _, err := io.WriteString(m.conn, msg); err != nil {
		m.t.Fatalf("memcached at %s: %s: %v", m.addr, cmd, err)
	}
	return m.line(cmd)
}

func (m *memcachedConn) line(cmd string) string {
	m.t.Helper()
	line, err := m.r.ReadString('\n')
	if err != nil {
		m.t.Fatalf("memcached at %s: %s: %v", m.addr, cmd, err)
	}
	return strings.TrimRight(line, "\r\n")
}

func (m *memcachedConn) set(name string, value []byte, ttl time.Duration) {
	m.t.Helper()
	cmd := fmt.Sprintf("set %s 0 %d %d", name, int(ttl.Seconds()), len(value))
	if reply := m.do(cmd, value); reply != "STORED" {
		m.t.Fatalf("memcached at %s: %s: %s", m.addr, cmd, reply)
	}
}

func (m *memcachedConn) delete(name string) {
	m.t.Helper()
	if reply := m.do("delete "+name, nil); reply != "DELETED" && reply != "NOT_FOUND" {
		m.t.Fatalf("memcached at %s: delete %s: %s", m.addr, name, reply)
	}
}

// get returns the item's value, or nil when memcached does not have it.
func (m *memcachedConn) get(name string) []byte {
	m.t.Helper()
	cmd := "get " + name
	reply := m.do(cmd, nil)
	if reply == "END" {
		return nil // expired or evicted since it was listed
	}
	f := strings.Fields(reply)
	if len(f) != 4 || f[0] != "VALUE" {
		m.t.Fatalf("memcached at %s: %s: %s", m.addr, cmd, reply)
	}
	n, err := strconv.Atoi(f[3])
	if err != nil {
		m.t.Fatalf("memcached at %s: %s: %s", m.addr, cmd, reply)
	}
	value := make([]byte, n+2) // and its \r\n
	if _, err := io.ReadFull(m.r, value); err != nil {
		m.t.Fatalf("memcached at %s: %s: %v", m.addr, cmd, err)
	}
	if end := m.line(cmd); end != "END" {
		m.t.Fatalf("memcached at %s: %s: %q after the value", m.addr, cmd, end)
	}
	return value[:n]
}

// names lists every item memcached holds (lru_crawler metadump all), waiting
// while the crawler is busy with an earlier request.
func (m *memcachedConn) names() []string {
	m.t.Helper()
	const cmd = "lru_crawler metadump all"
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		reply := m.do(cmd, nil)
		if strings.HasPrefix(reply, "BUSY") && time.Now().Before(deadline) {
			continue
		}
		var names []string
		for ; reply != "END"; reply = m.line(cmd) {
			field, _, _ := strings.Cut(reply, " ")
			escaped, ok := strings.CutPrefix(field, "key=")
			if !ok {
				m.t.Fatalf("memcached at %s: %s: %s", m.addr, cmd, reply)
			}
			name, err := url.PathUnescape(escaped) // metadump URI-encodes names
			if err != nil {
				m.t.Fatalf("memcached at %s: %s: %s: %v", m.addr, cmd, reply, err)
			}
			names = append(names, name)
		}
		return names
	}
}

// items returns every item memcached holds, by name.
func (m *memcachedConn) items() map[string][]byte {
	m.t.Helper()
	out := make(map[string][]byte)
	for _, name := range m.names() {
		if v := m.get(name); v != nil {
			out[name] = v
		}
	}
	return out
}
