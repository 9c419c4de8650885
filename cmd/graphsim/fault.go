package main

import (
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

// faultFlag is the repeatable --fault flag: each value is one spec of
// graphsim.ParseFault, added to the server's faults.
type faultFlag struct {
	faults *graphsim.Faults
	specs  []string
}

func (f *faultFlag) String() string {
	if f == nil {
		return ""
	}
	return strings.Join(f.specs, " ")
}

func (f *faultFlag) Set(spec string) error {
	if err := graphsim.ParseFault(spec, f.faults); err != nil {
		return err
	}
	f.specs = append(f.specs, spec)
	return nil
}
