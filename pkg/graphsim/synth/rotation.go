package synth

import "sync"

// Credential rotation, for the application credential activity report: a
// service principal's secret or certificate is replaced every rotationPeriod
// at a phase of its own, so any month of the tenant sees about a third of
// them rotate. One service principal in eight has a straggler: one of its
// jobs keeps signing in with the previous key for days after the rotation,
// which the report should make stand out. Everything comes from the service
// principal's key, so no random stream moves.
const (
	rotationPeriod = 90 * dayTk
	subRotation    = 0x7e0 // derivation label of a service principal's credentials
)

// rotation is one job's view of its service principal's credentials.
type rotation struct {
	key         uint64 // the service principal's credential key
	certificate bool   // a certificate (thumbprint) rather than a secret
	phase, lag  int64  // when keys change; how long this job keeps an old one
	bases       sync.Map
}

func newRotation(spKey uint64, certificate bool, job int) *rotation {
	k := derive(spKey, subRotation)
	rot := &rotation{key: k, certificate: certificate, phase: int64(k % uint64(rotationPeriod))} // #nosec G115 -- a remainder below rotationPeriod
	if job == 0 && k>>32%8 == 0 {
		rot.lag = (2 + int64(k>>40%19)) * dayTk // #nosec G115 -- a remainder below 19: 2 to 20 days
	}
	return rot
}

// base returns the job's record with the key it signs in with at tick at.
// Records with each key are built once and shared, as job bases are.
func (rot *rotation) base(b *SignIn, at int64) *SignIn {
	n := floorDiv(at-rot.lag-rot.phase, rotationPeriod)
	if rec, ok := rot.bases.Load(n); ok {
		return rec.(*SignIn)
	}
	rec := *b
	k := derive(rot.key, uint64(n)) // #nosec G115 -- a key's bit pattern
	rec.ServicePrincipalCredentialKeyID = uuidOf(k).String()
	rec.ServicePrincipalCredentialThumbprint = ""
	if rot.certificate {
		r := newRng(derive(k, 1))
		rec.ServicePrincipalCredentialThumbprint = thumbprint(&r)
	}
	actual, _ := rot.bases.LoadOrStore(n, &rec)
	return actual.(*SignIn)
}
