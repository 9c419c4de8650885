package store

import (
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// dayLength is a day: days are UTC, as windows are.
const dayLength = 24 * time.Hour

// dayID names a day of a log type: its UTC midnight in Unix seconds.
type dayID struct {
	t     signin.LogType
	start int64
}

// daySummary is a closed day's sign-ins counted per profile. It lives in
// memory beside the day's blocks and only while all of them are there:
// removing one of them drops it, so it never answers for blocks that are
// gone or were replaced.
type daySummary struct {
	counts []block.ProfileCounts
	bytes  int64
}

func dayOf(t signin.LogType, start time.Time) dayID {
	return dayID{t: t, start: start.Truncate(dayLength).Unix()}
}

// wholeDay returns how many of the windows from i on make a whole closed day
// inside [from, to) that is ready in memory, and that day's counts; 0 when
// they do not. Counting the day once costs a pass over its sign-ins; every
// later query over it reads the counts, about a tenth as many (a day repeats
// each profile about ten times).
func (s *Store) wholeDay(t signin.LogType, ws []window, entries []*entry, ready []bool, i int, from, to, closedBefore time.Time) (int, []block.ProfileCounts) {
	start := ws[i].start
	n := int(dayLength / s.cfg.Window)
	if dayLength%s.cfg.Window != 0 || !start.Truncate(dayLength).Equal(start) || start.Before(from) ||
		start.Add(dayLength).After(to) || start.Add(dayLength).After(closedBefore) || i+n > len(ws) {
		return 0, nil
	}
	blocks := make([]*block.Block, n)
	for k := range n {
		if !ready[i+k] || entries[i+k].block == nil {
			return 0, nil
		}
		blocks[k] = entries[i+k].block
	}
	id := dayOf(t, start)
	s.mu.Lock()
	sum := s.mem.days[id]
	s.mu.Unlock()
	if sum != nil {
		return n, sum.counts
	}
	counts := block.CountProfiles(blocks)
	s.keepDay(id, t, ws[i:i+n], blocks, counts)
	return n, counts
}

// keepDay holds a day's counts while every one of its blocks is the one in
// memory; a day whose blocks memory no longer holds is counted again by the
// next query that reads it whole.
func (s *Store) keepDay(id dayID, t signin.LogType, ws []window, blocks []*block.Block, counts []block.ProfileCounts) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, w := range ws {
		if !s.mem.holds(cacheKey(s.ns, t, w), blocks[k]) {
			return
		}
	}
	s.mem.keepDay(id, counts)
}
