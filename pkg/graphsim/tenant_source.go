package graphsim

import (
	"fmt"
	"slices"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// tenantCacheHours is how many (log type, hour) pairs TenantSource keeps: two
// days of one type, or half a day of all four — more than one paging run needs.
const tenantCacheHours = 48

// tenantSource serves a synthetic tenant.
type tenantSource struct {
	tenant *synth.Tenant
	cache  *hourCache
}

// TenantSource serves the sign-ins of a synthetic tenant, marshalled with
// encoding/json (without HTML escaping, as Graph writes). The server and the
// export command both read it, so their bytes are the same.
func TenantSource(t *synth.Tenant) Source {
	return &tenantSource{tenant: t, cache: newHourCache(tenantCacheHours)}
}

// Hour implements Source.
func (s *tenantSource) Hour(lt signin.LogType, hour time.Time) ([]Record, error) {
	hour = hour.UTC().Truncate(time.Hour)
	key := hourKey{lt: lt, unix: hour.Unix()}
	if recs, ok := s.cache.get(key); ok {
		return recs, nil
	}
	recs, err := synthRecords(lt, s.tenant.Hour(lt, hour))
	if err != nil {
		return nil, fmt.Errorf("graphsim: synthetic %s sign-ins of %s: %w", lt, hour.Format(time.RFC3339), err)
	}
	s.cache.put(key, recs)
	return recs, nil
}

// synthRecords converts generated sign-ins, sorting only if the generator
// broke the newest-first contract the pager's binary search depends on.
func synthRecords(lt signin.LogType, in []synth.SignIn) ([]Record, error) {
	recs := make([]Record, len(in))
	for i := range in {
		rec, err := synthRecord(lt, &in[i])
		if err != nil {
			return nil, fmt.Errorf("sign-in %d: %w", i, err)
		}
		recs[i] = rec
	}
	if !slices.IsSortedFunc(recs, func(a, b Record) int { return compareNewest(&a, &b) }) {
		slices.SortStableFunc(recs, func(a, b Record) int { return compareNewest(&a, &b) })
	}
	return recs, nil
}

func synthRecord(lt signin.LogType, si *synth.SignIn) (Record, error) {
	created, err := parseCreated(si.CreatedDateTime)
	if err != nil {
		return Record{}, err
	}
	raw, err := marshalGraph(si)
	if err != nil {
		return Record{}, fmt.Errorf("marshal: %w", err)
	}
	rec := Record{
		Created:           created,
		Type:              lt,
		ID:                si.ID,
		AppID:             si.AppID,
		UserID:            si.UserID,
		UserPrincipalName: si.UserPrincipalName,
		AppDisplayName:    si.AppDisplayName,
		RiskState:         si.RiskState,
		ErrorCode:         int32(si.Status.ErrorCode), // #nosec G115 -- the synthetic tenant's error codes are Entra's, under 2^31
		JSON:              raw,
	}
	if si.Revision != nil {
		if err := reviseSynth(&rec, si); err != nil {
			return Record{}, err
		}
	}
	return rec, nil
}

// reviseSynth gives a record the revision the generator planned for it, at
// Revision.After past the sign-in, marshalled as the record is.
func reviseSynth(rec *Record, si *synth.SignIn) error {
	revised := si.Revised()
	raw, err := marshalGraph(&revised)
	if err != nil {
		return fmt.Errorf("marshal revision: %w", err)
	}
	return rec.Revise(rec.Created.Add(si.Revision.After), raw)
}

// parseCreated parses a createdDateTime: RFC 3339 with any number of
// fractional digits (Graph sends 0–7) and any offset (diagnostic settings send
// "+00:00"), returned in UTC.
func parseCreated(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("createdDateTime %q: %w", s, err)
	}
	return t.UTC(), nil
}
