package bench

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// Machine describes where the figures were measured.
type Machine struct {
	CPU        string // "model name" of /proc/cpuinfo
	Cores      int    // logical CPUs
	GOMAXPROCS int
	GoVersion  string
	MemTotal   string // from /proc/meminfo
	LoadAvg    string // /proc/loadavg's 1, 5 and 15 minute averages when measured
}

// ThisMachine reads the machine's description. Fields it cannot read are "unknown".
func ThisMachine() Machine {
	m := Machine{CPU: "unknown", Cores: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		GoVersion: runtime.Version(), MemTotal: "unknown", LoadAvg: "unknown"}
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		m.CPU = v
	}
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		m.MemTotal = v
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.LoadAvg = strings.Join(f[:3], " ")
		}
	}
	return m
}

// String is one line for the report.
func (m Machine) String() string {
	return fmt.Sprintf("CPU %s, %d cores (GOMAXPROCS %d), memory %s, %s, load average %s",
		m.CPU, m.Cores, m.GOMAXPROCS, m.MemTotal, m.GoVersion, m.LoadAvg)
}

// procField returns the value of the first "key : value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
