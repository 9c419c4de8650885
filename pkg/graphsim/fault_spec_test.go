package graphsim

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestParseFault(t *testing.T) {
	f := func(specs []string, want Faults) {
		t.Helper()
		var got Faults
		for _, s := range specs {
			if err := ParseFault(s, &got); err != nil {
				t.Fatalf("ParseFault(%q): %v", s, err)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("ParseFault(%q):\n got %+v\nwant %+v", specs, got, want)
		}
	}
	f([]string{"429,n=2,retry-after=3"}, Faults{Rules: []FaultRule{{Kind: FaultStatus, Status: 429, Nth: 2, RetryAfter: 3}}})
	f([]string{"503,every=4", "reset, p=0.1, seed=7"}, Faults{Rules: []FaultRule{
		{Kind: FaultStatus, Status: 503, Every: 4}, {Kind: FaultReset, Prob: 0.1, Seed: 7}}})
	f([]string{"slow,n=1,delay=2m"}, Faults{Rules: []FaultRule{{Kind: FaultSlow, Nth: 1, Delay: 2 * time.Minute}}})
	f([]string{"duplicate,skiptoken,times=3"}, Faults{Rules: []FaultRule{{Kind: FaultDuplicate, SkipToken: true, Times: 3}}})
	f([]string{"bad-skiptoken,n=1", "expire-token,n=5", "revoke-token", "truncate", "truncate-chunked", "truncate-json", "403", "500", "502", "504"},
		Faults{Rules: []FaultRule{{Kind: FaultBadSkipToken, Nth: 1}, {Kind: FaultExpireToken, Nth: 5}, {Kind: FaultRevokeToken},
			{Kind: FaultTruncate}, {Kind: FaultTruncateChunked}, {Kind: FaultTruncateJSON},
			{Kind: FaultStatus, Status: 403}, {Kind: FaultStatus, Status: 500}, {Kind: FaultStatus, Status: 502}, {Kind: FaultStatus, Status: 504}}})
	f([]string{"skew,by=-10m", "late,share=0.05,by=20m"}, Faults{ClockSkew: -10 * time.Minute, LateShare: 0.05, LateBy: 20 * time.Minute})
}

func TestParseFaultErrors(t *testing.T) {
	f := func(spec, want string) {
		t.Helper()
		faults := Faults{Rules: []FaultRule{{Kind: FaultReset}}}
		err := ParseFault(spec, &faults)
		if !errors.Is(err, ErrBadOption) || err.Error() != want {
			t.Fatalf("ParseFault(%q): %v; want %q", spec, err, want)
		}
		if len(faults.Rules) != 1 || faults.ClockSkew != 0 || faults.LateShare != 0 {
			t.Fatalf("ParseFault(%q) changed the faults on error: %+v", spec, faults)
		}
	}
	f("", `graphsim: invalid option: fault "": unknown kind ""`)
	f("boom", `graphsim: invalid option: fault "boom": unknown kind "boom"`)
	f("status", `graphsim: invalid option: fault "status": unknown kind "status"`)
	f("404", `graphsim: invalid option: fault "404": Faults.Rules[1]: status 404 is not one of 403, 429, 500, 502, 503, 504`)
	f("500,retry-after=3", `graphsim: invalid option: fault "500,retry-after=3": Faults.Rules[1]: RetryAfter applies to statuses 429 and 503 only`)
	f("reset,n=x", `graphsim: invalid option: fault "reset,n=x": option "n=x": strconv.Atoi: parsing "x": invalid syntax`)
	f("reset,n", `graphsim: invalid option: fault "reset,n": option "n": want key=value, or skiptoken alone`)
	f("reset,skiptoken=1", `graphsim: invalid option: fault "reset,skiptoken=1": option "skiptoken=1": want key=value, or skiptoken alone`)
	f("reset,by=1m", `graphsim: invalid option: fault "reset,by=1m": option "by=1m": not an option of reset`)
	f("reset,p=2", `graphsim: invalid option: fault "reset,p=2": Faults.Rules[1]: Prob 2 is not a probability`)
	f("skew,n=1", `graphsim: invalid option: fault "skew,n=1": option "n=1": not an option of skew`)
	f("skew,by=soon", `graphsim: invalid option: fault "skew,by=soon": option "by=soon": time: invalid duration "soon"`)
	f("late,share=0.1", `graphsim: invalid option: fault "late,share=0.1": late needs share and by`)
	f("late,share=2,by=1m", `graphsim: invalid option: fault "late,share=2,by=1m": Faults.LateShare must be in [0, 1] and LateBy not negative`)
}
