package synth

import "time"

// Time inside the generator is an int64 count of ticks since the Unix epoch. A
// tick is 100 ns, the resolution of Graph's createdDateTime (seven fractional
// digits), so every generated instant prints exactly and sorts as an integer.
const (
	tick    = 100 * time.Nanosecond
	second  = int64(time.Second / tick)
	minute  = 60 * second
	hourTk  = 60 * minute
	dayTk   = 24 * hourTk
	weekTk  = 7 * dayTk
	stampSz = len("2006-01-02T15:04:05.0000000Z")
)

// tickOf converts a time to ticks, dropping anything below 100 ns.
func tickOf(t time.Time) int64 {
	return t.Unix()*second + int64(t.Nanosecond())/int64(tick)
}

// tickCeil converts a time to ticks, rounding up, so that "created at or after
// t" on ticks means the same as on the time itself.
func tickCeil(t time.Time) int64 {
	k := tickOf(t)
	if t.Nanosecond()%int(tick) != 0 {
		k++
	}
	return k
}

// timeOf converts ticks back to a UTC time.
func timeOf(k int64) time.Time {
	s := floorDiv(k, second)
	return time.Unix(s, (k-s*second)*int64(tick)).UTC()
}

// floorDiv divides rounding towards minus infinity, so instants before 1970
// still fall into the right hour and day.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// hourPrefix returns "2006-01-02T15:" for the hour starting at tick h: the part
// of createdDateTime shared by every record of that hour.
func hourPrefix(h int64) []byte {
	return timeOf(h).AppendFormat(make([]byte, 0, stampSz), "2006-01-02T15:")
}

// appendStamp appends "04:05.0000000Z", the part of createdDateTime below the
// hour, for an offset in ticks from the start of the hour. It is the hot path
// of record building, hence no time.Format.
func appendStamp(buf []byte, off int64) []byte {
	mins, rest := off/minute, off%minute
	secs, frac := rest/second, rest%second
	buf = append(buf, byte('0'+mins/10), byte('0'+mins%10), ':', // #nosec G115 -- digits 0-9
		byte('0'+secs/10), byte('0'+secs%10), '.')
	for div := second / 10; div > 0; div /= 10 {
		buf = append(buf, byte('0'+(frac/div)%10))
	}
	return append(buf, 'Z')
}

// formatTick formats an instant exactly as createdDateTime is formatted.
func formatTick(k int64) string {
	h := floorDiv(k, hourTk) * hourTk
	return string(appendStamp(hourPrefix(h), k-h))
}
