package graphsim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FaultSpecSyntax documents ParseFault's syntax, each line indented by eight
// spaces as `graphsim serve`'s usage nests it.
const FaultSpecSyntax = `        SPEC   = KIND {"," OPTION}
        KIND   = 403 | 429 | 500 | 502 | 503 | 504 | reset | truncate | truncate-chunked
               | truncate-json | slow | bad-skiptoken | expire-token | revoke-token | duplicate
               | skew | late                    (these two are server-wide, not rules)
        OPTION = n=N | every=K | p=P | seed=S | times=T | skiptoken      (which requests)
               | retry-after=SECONDS (429, 503) | delay=DURATION (slow)
               | by=DURATION (skew, may be negative; late) | share=P (late)
        e.g. 429,n=2,retry-after=3  503,every=4  reset,p=0.1,seed=7  slow,n=1,delay=2m
             bad-skiptoken,n=1  duplicate,skiptoken  skew,by=-10m  late,share=0.05,by=20m`

// ParseFault adds what one spec describes to f: a rule (appended to f.Rules),
// the clock skew or the late arrivals. The syntax is FaultSpecSyntax; the
// options map to FaultRule's fields (n: Nth, every: Every, p: Prob, …, and
// skiptoken: SkipToken), a status KIND to FaultStatus with that Status.
func ParseFault(spec string, f *Faults) error {
	parts := strings.Split(strings.TrimSpace(spec), ",")
	kind, opts := strings.TrimSpace(parts[0]), parts[1:]
	next := *f
	var err error
	switch kind {
	case "skew":
		err = eachOption(opts, func(k, v string) (err error) {
			if k != "by" {
				return notFor(kind)
			}
			next.ClockSkew, err = time.ParseDuration(v)
			return err
		})
	case "late":
		err = eachOption(opts, func(k, v string) (err error) {
			switch k {
			case "share":
				next.LateShare, err = strconv.ParseFloat(v, 64)
			case "by":
				next.LateBy, err = time.ParseDuration(v)
			default:
				return notFor(kind)
			}
			return err
		})
		if err == nil && (next.LateShare == 0 || next.LateBy == 0) {
			err = fmt.Errorf("late needs share and by")
		}
	default:
		var r FaultRule
		if r, err = parseRule(kind, opts); err == nil {
			next.Rules = append(next.Rules[:len(next.Rules):len(next.Rules)], r)
		}
	}
	if err == nil {
		err = next.problem()
	}
	if err != nil {
		return fmt.Errorf("%w: fault %q: %v", ErrBadOption, spec, err)
	}
	*f = next
	return nil
}

// parseRule reads a rule's kind and options.
func parseRule(kind string, opts []string) (FaultRule, error) {
	r := FaultRule{Kind: FaultKind(kind)}
	if n, err := strconv.Atoi(kind); err == nil {
		r.Kind, r.Status = FaultStatus, n
	} else if !faultKinds[r.Kind] || r.Kind == FaultStatus {
		return r, fmt.Errorf("unknown kind %q", kind)
	}
	err := eachOption(opts, func(k, v string) (err error) {
		switch k {
		case "skiptoken":
			r.SkipToken = true
		case "n":
			r.Nth, err = strconv.Atoi(v)
		case "every":
			r.Every, err = strconv.Atoi(v)
		case "times":
			r.Times, err = strconv.Atoi(v)
		case "p":
			r.Prob, err = strconv.ParseFloat(v, 64)
		case "seed":
			r.Seed, err = strconv.ParseInt(v, 10, 64)
		case "retry-after":
			r.RetryAfter, err = strconv.Atoi(v)
		case "delay":
			r.Delay, err = time.ParseDuration(v)
		default:
			return notFor(kind)
		}
		return err
	})
	return r, err
}

// eachOption calls fn with each "key=value" (or bare "key") of opts.
func eachOption(opts []string, fn func(k, v string) error) error {
	for _, o := range opts {
		k, v, hasValue := strings.Cut(strings.TrimSpace(o), "=")
		if (k == "skiptoken") == hasValue || k == "" {
			return fmt.Errorf("option %q: want key=value, or skiptoken alone", o)
		}
		if err := fn(k, v); err != nil {
			return fmt.Errorf("option %q: %w", o, err)
		}
	}
	return nil
}

func notFor(kind string) error { return fmt.Errorf("not an option of %s", kind) }
