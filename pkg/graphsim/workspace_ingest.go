package graphsim

import (
	"hash/fnv"
	"time"
)

// The ingestion model: when a sign-in's rows reach the workspace. Each is a
// pure function of the sign-in's id (and, for a revised sign-in's last row,
// of Revision.At), so every run and every test sees the same TimeGenerated.
const (
	// A sign-in's row is ingested between ingestMin and
	// ingestMin+ingestSpread after it happened.
	ingestMin    = time.Minute
	ingestSpread = 4 * time.Minute
	// reemitPerTenThousand of the interactive and non-interactive sign-ins
	// (5%) are emitted again, as an update: between reemitMin and
	// reemitMin+reemitSpread after the first row, the first row with an
	// earlier RiskState. The update lands within 29 minutes of the sign-in,
	// inside the plugin's ingestion allowance (30 minutes), so a query after
	// it always sees the record's state, as Graph serves it.
	reemitPerTenThousand = 500
	reemitMin            = 10 * time.Minute
	reemitSpread         = 14 * time.Minute
	// maxIngestLag is the latest a row of a sign-in can arrive, before
	// Faults.LateBy: what a timespan's start must reach back by. A revised
	// sign-in's last row (Record.Revision) comes later, as late as the
	// revision: workspace.hours reads it when a query bounds CreatedDateTime.
	maxIngestLag = ingestMin + ingestSpread + reemitMin + reemitSpread
)

// rowVersion is one row of a sign-in: its TimeGenerated and which version
// of it the row carries.
type rowVersion struct {
	ingested time.Time
	earlier  bool // the first row of a re-emitted sign-in: an earlier version
	revised  bool // the row of Record.Revision
}

// versionsOf returns the rows of a sign-in, oldest first: one, or two for a
// re-emitted one, and one more for a revised one. late delays them all, for
// the sign-ins Faults.IsLate picks.
func versionsOf(rec *Record, reemits bool, late time.Duration) []rowVersion {
	h := hashID("ingest/", rec.ID)
	delay := ingestMin + late + time.Duration(h%uint64(ingestSpread/100))*100 // #nosec G115 -- a remainder below ingestSpread/100
	first := rec.Created.Add(delay)
	v := []rowVersion{{ingested: first}}
	if r := hashID("re-emit/", rec.ID); reemits && r%10000 < reemitPerTenThousand {
		again := reemitMin + time.Duration(r/10000%uint64(reemitSpread/time.Second))*time.Second // #nosec G115 -- a remainder below reemitSpread in seconds
		v[0].earlier = true
		v = append(v, rowVersion{ingested: first.Add(again)})
	}
	if rec.Revision != nil {
		v = withRevision(v, maxTime(rec.Revision.At, rec.Created).Add(delay))
	}
	return v
}

// withRevision adds the row of a revised sign-in, ingested at at: the
// revision reaches the workspace as the sign-in did, after the same delay.
// The rows of the first version not ingested before it are dropped: an
// update still pending when the sign-in changed goes out as the revision, so
// the latest row is always the version Graph serves.
func withRevision(v []rowVersion, at time.Time) []rowVersion {
	kept := v[:0]
	for _, row := range v {
		if row.ingested.Before(at) {
			kept = append(kept, row)
		}
	}
	return append(kept, rowVersion{ingested: at, revised: true})
}

// hashID hashes an id with a salt, so the draws for delay and re-emission
// are independent of each other and of Faults.IsLate.
func hashID(salt, id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(salt))
	h.Write([]byte(id))
	return h.Sum64()
}

// earlierRiskState is the RiskState of the first row of a re-emitted
// sign-in. The record is the sign-in as Graph serves it (until a Revision),
// so the later row carries the record's state and the first an earlier one: a remediated,
// dismissed or confirmed sign-in was at risk first; one at risk was found
// risky after the fact (none first); for the rest, the update corrected a
// state the first row got wrong.
func earlierRiskState(state string) string {
	switch state {
	case "remediated", "dismissed", "confirmedCompromised":
		return "atRisk"
	case "atRisk":
		return "none"
	}
	return "atRisk"
}
