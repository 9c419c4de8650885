package main

import (
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

// workspaceFaultPrefix marks a --fault spec for the Log Analytics workspace
// (--fault la:504,n=1) rather than for Graph.
const workspaceFaultPrefix = "la:"

// registerWorkspaceFlags adds the flags of the Log Analytics workspace that
// serve runs beside Graph, over the same sign-ins.
func registerWorkspaceFlags(fs *flag.FlagSet, o *graphsim.WorkspaceOptions) {
	fs.StringVar(&o.ID, "la-workspace", "", "pin the Log Analytics workspace id; other ids get 404 (default: any id)")
	fs.Func("la-tables", "comma-separated tables the workspace has (default: "+strings.Join(graphsim.WorkspaceTables, ",")+")", func(list string) error {
		tables, err := parseTables(list)
		o.Tables = tables
		return err
	})
	fs.IntVar(&o.MaxRows, "la-max-rows", graphsim.DefaultMaxRows, "rows of a workspace result before it is cut with a PartialError")
	fs.IntVar(&o.Throttle, "la-throttle", 0, fmt.Sprintf("workspace queries per 30 s; 0 = unlimited (the service allows %d)", graphsim.WorkspaceThrottleLimit))
}

// parseTables reads --la-tables: sign-in table names, each once.
func parseTables(list string) ([]string, error) {
	var tables []string
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		switch {
		case !slices.Contains(graphsim.WorkspaceTables, t):
			return nil, fmt.Errorf("%q is not one of %s", t, strings.Join(graphsim.WorkspaceTables, ", "))
		case !slices.Contains(tables, t):
			tables = append(tables, t)
		}
	}
	return tables, nil
}

// serveFaultFlag is the repeatable --fault flag of serve: a spec prefixed
// la: is a rule for workspace queries, any other goes to Graph's faults.
type serveFaultFlag struct {
	graph     faultFlag
	workspace *graphsim.WorkspaceOptions
	specs     []string
}

func (f *serveFaultFlag) String() string {
	if f == nil {
		return ""
	}
	return strings.Join(f.specs, " ")
}

func (f *serveFaultFlag) Set(spec string) error {
	if rest, ok := strings.CutPrefix(spec, workspaceFaultPrefix); ok {
		if err := graphsim.ParseWorkspaceFault(rest, f.workspace); err != nil {
			return err
		}
	} else if err := f.graph.Set(spec); err != nil {
		return err
	}
	f.specs = append(f.specs, spec)
	return nil
}
