package main

import (
	"cmp"
	"flag"
	"fmt"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
)

// sourceFlags choose where the sign-ins come from: a file to replay, or a
// synthetic tenant by seed and size.
type sourceFlags struct {
	seed      int64
	size      string
	file      string
	maxFileMB int
	quiet     bool
}

func (f *sourceFlags) register(fs *flag.FlagSet) {
	fs.Int64Var(&f.seed, "seed", 1, "seed of the synthetic tenant")
	fs.StringVar(&f.size, "size", "small", "size of the synthetic tenant: "+strings.Join(synth.Sizes(), ", "))
	fs.StringVar(&f.file, "file", "", "replay this file of Graph or diagnostic-settings sign-ins instead of a synthetic tenant")
	fs.IntVar(&f.maxFileMB, "max-file-mb", defaultMaxFileMB, "refuse a --file larger than this many MB (it is decoded whole)")
	fs.BoolVar(&f.quiet, "quiet", false, "synthetic tenant without injected incidents")
}

// source builds the Source the flags name.
func (f *sourceFlags) source() (graphsim.Source, error) {
	if f.file != "" {
		if f.quiet {
			return nil, fmt.Errorf("%w: --quiet applies to synthetic tenants, not to --file", errUsage)
		}
		maxMB := cmp.Or(f.maxFileMB, defaultMaxFileMB)
		if maxMB < 1 {
			return nil, fmt.Errorf("%w: --max-file-mb %d: at least 1", errUsage, f.maxFileMB)
		}
		return loadFile(f.file, int64(maxMB)<<20)
	}
	newTenant := synth.New
	if f.quiet {
		newTenant = synth.NewQuiet
	}
	t, err := newTenant(f.seed, f.size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	return graphsim.TenantSource(t), nil
}
