package bench

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// simProcess is the simulator running in a process of its own
// (`graphsim serve`), as a real service runs apart from Grafana: the
// process's CPU time, which getrusage reports for the benchmark, is then the
// plugin's alone.
type simProcess struct {
	cmd    *exec.Cmd
	dir    string
	stderr tailWriter // the end of what it logged: quoted when it fails
	url    string
	caPEM  []byte
}

// simStartTimeout bounds how long the simulator may take to print its address.
const simStartTimeout = 2 * time.Minute

// startSimProcess runs `graphsim serve --tls` over the synthetic tenant of
// seed and size, with the workspace throttled as the service is. It accepts
// any client secret (no --credentials flag): the token exchange is not what
// the figures measure.
func startSimProcess(o Options, seed int64, size string) (*simProcess, error) {
	module, err := moduleDir(o)
	if err != nil {
		return nil, err
	}
	bin, err := graphsimBinary(module, o)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "signinlens-bench-sim-")
	if err != nil {
		return nil, err
	}
	p := &simProcess{dir: dir, stderr: tailWriter{max: 16 << 10}}
	caFile := filepath.Join(dir, "ca.pem")
	p.cmd = exec.Command(bin, "serve", "--tls", "--ca-file", caFile, "--seed", strconv.FormatInt(seed, 10),
		"--size", size, "--la-throttle", strconv.Itoa(workspaceRequests))
	p.cmd.Stderr = &p.stderr
	if err := p.start(caFile); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// start starts the process and reads the two lines serve prints: its URL,
// then the CA file's path.
func (p *simProcess) start(caFile string) error {
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := p.cmd.Start(); err != nil {
		return fmt.Errorf("starting the simulator: %w", err)
	}
	lines := make(chan []string, 1)
	go func() {
		sc, got := bufio.NewScanner(stdout), []string{}
		for len(got) < 2 && sc.Scan() {
			got = append(got, sc.Text())
		}
		lines <- got
		for sc.Scan() { // drain: serve prints nothing more
		}
	}()
	select {
	case got := <-lines:
		if len(got) < 2 || got[1] != caFile {
			return fmt.Errorf("the simulator printed %q, not its URL and CA file; it logged:\n%s", got, p.stderr.String())
		}
		p.url = got[0]
	case <-time.After(simStartTimeout):
		return fmt.Errorf("the simulator printed no URL within %s", simStartTimeout)
	}
	p.caPEM, err = os.ReadFile(caFile)
	return err
}

// simStopTimeout bounds how long the simulator may take to stop when asked.
const simStopTimeout = 10 * time.Second

// close stops the process (serve ends on an interrupt; it is killed if it
// has not within simStopTimeout) and removes its files.
func (p *simProcess) close() {
	if p.cmd.Process != nil {
		if err := p.cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
			p.cmd.Process.Kill()
		}
		stopped := make(chan struct{})
		go func() { p.cmd.Wait(); close(stopped) }()
		select {
		case <-stopped:
		case <-time.After(simStopTimeout):
			p.cmd.Process.Kill()
			<-stopped
		}
	}
	os.RemoveAll(p.dir)
}

// tailWriter keeps the last max bytes written to it.
type tailWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (w *tailWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(b)
	if over := w.buf.Len() - w.max; over > 0 {
		w.buf.Next(over)
	}
	return len(b), nil
}

func (w *tailWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
