package graphsim

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Injection records one fault the server injected, for tests to check that
// the failure they meant to provoke happened, and only it.
type Injection struct {
	Rule    int       // index in Faults.Rules
	Kind    FaultKind // the rule's kind
	Status  int       // the rule's status (FaultStatus), else 0
	Request int       // the ordinal of the sign-ins request, 1-based
}

// faultState is the fault layer's mutable state: rule counters and RNGs, the
// duplicates due on next pages, and the log.
type faultState struct {
	mu       sync.Mutex
	rules    []ruleState
	requests int
	dups     *dupStore
	log      []Injection
}

type ruleState struct {
	FaultRule
	counted, fired int
	rng            *rand.Rand
}

func newFaultState(f Faults) *faultState {
	st := &faultState{dups: newDupStore()}
	for _, r := range f.Rules {
		st.rules = append(st.rules, ruleState{FaultRule: r, rng: rand.New(rand.NewPCG(uint64(r.Seed), 0x5eed))}) // #nosec G115 G404 -- faults replay by seed: a seed's bit pattern, reproducible on purpose, not a secret
	}
	return st
}

// decide counts the request against every rule and returns the rule that
// fires, or nil. The decision is made under one lock, so with a sequential
// client the same rules fire on the same requests every run.
func (st *faultState) decide(hasSkipToken bool) *FaultRule {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.requests++
	var chosen *FaultRule
	for i := range st.rules {
		rs := &st.rules[i]
		if !rs.counts(hasSkipToken) {
			continue
		}
		rs.counted++
		if rs.fires() && chosen == nil {
			rs.fired++
			chosen = &rs.FaultRule
			st.log = append(st.log, Injection{Rule: i, Kind: rs.Kind, Status: rs.Status, Request: st.requests})
		}
	}
	return chosen
}

func (rs *ruleState) counts(hasSkipToken bool) bool {
	return hasSkipToken || (!rs.SkipToken && rs.Kind != FaultBadSkipToken)
}

// fires draws from the RNG on every counted request, whether or not the other
// conditions hold, so a rule's draws do not depend on its Nth or Every.
func (rs *ruleState) fires() bool {
	draw := rs.Prob == 0 || rs.rng.Float64() < rs.Prob
	switch {
	case rs.Times > 0 && rs.fired >= rs.Times:
		return false
	case rs.Nth > 0 && rs.counted != rs.Nth:
		return false
	case rs.Every > 0 && rs.counted%rs.Every != 0:
		return false
	}
	return draw
}

// Injections returns the faults injected so far, in order.
func (s *Server) Injections() []Injection {
	if s.faults == nil {
		return nil
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return slices.Clone(s.faults.log)
}

// injectFaults is the fault layer. It sits in front of authentication, as a
// gateway or a failing Graph front end would, so a fault costs the client a
// request whether or not its token is good.
func (s *Server) injectFaults(next http.Handler) http.Handler {
	if s.faults == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := skipTokenOf(r.URL.RawQuery)
		rule := s.faults.decide(token != "")
		if rule == nil {
			s.faults.dups.serve(w, r, next, token)
			return
		}
		s.inject(w, r, next, rule, token)
	})
}

// inject applies one fired rule.
func (s *Server) inject(w http.ResponseWriter, r *http.Request, next http.Handler, rule *FaultRule, token string) {
	switch rule.Kind {
	case FaultStatus:
		s.writeFaultStatus(w, r, rule)
	case FaultBadSkipToken:
		s.writeBadSkipToken(w, r)
	case FaultSlow:
		if holdBack(r, rule.Delay) {
			s.faults.dups.serve(w, r, next, token)
		}
	case FaultExpireToken:
		s.expireToken(bearerToken(r))
		next.ServeHTTP(w, r)
	case FaultRevokeToken:
		s.revokeToken(w, r)
	case FaultDuplicate:
		s.faults.dups.remember(w, r, next, token)
	default: // the cuts: reset and the truncations
		cutBody(w, r, next, rule.Kind)
	}
}

// skipTokenOf returns the $skiptoken of a raw query, matched without regard
// to case as Graph matches option names, or "".
func skipTokenOf(rawQuery string) string {
	q, _ := url.ParseQuery(rawQuery) // a bad query is the endpoint's to reject
	for k, v := range q {
		if strings.EqualFold(k, "$skiptoken") && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}
