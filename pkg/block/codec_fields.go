package block

import (
	"math"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// profileField is one field of a profile as the codec sees it: a string or a
// coordinate, coded as an index into the field's own dictionary, or a small
// integer coded as is (get/set, with set rejecting values out of range).
type profileField struct {
	str  func(e *signin.Event) *string
	num  func(e *signin.Event) *float64
	get  func(e *signin.Event) uint64
	set  func(e *signin.Event, v uint64) bool
	dict int // index among the dictionary-coded fields; set by init
}

func strField(f func(e *signin.Event) *string) *profileField  { return &profileField{str: f} }
func numField(f func(e *signin.Event) *float64) *profileField { return &profileField{num: f} }

func triField(f func(e *signin.Event) *signin.Tristate) *profileField {
	return &profileField{
		get: func(e *signin.Event) uint64 { return uint64(*f(e)) },
		set: func(e *signin.Event, v uint64) bool {
			// Read from the cache: a value past True is damage, refused
			// before it is narrowed.
			if v > uint64(signin.True) {
				return false
			}
			*f(e) = signin.Tristate(v)
			return true
		},
	}
}

// profileGroups are the profile fields in the order the codec writes them,
// grouped by what moves together: a user's names and ids, an address and its
// place, a device, an app and its resource, an outcome. In a busy hour nearly
// every non-interactive sign-in has a profile of its own (user × app × address),
// yet each group has only hundreds or a few thousand distinct values, so a
// profile costs one small index per group instead of one per field.
//
// The table is part of the format: changing it means bumping formatVersion, so
// entries written by an older build become misses instead of being read with
// shifted columns. TestProfileGroupsCoverEvent fails when signin.Event gains a
// field this table does not list.
var profileGroups = [...][]*profileField{
	{ // who
		strField(func(e *signin.Event) *string { return &e.UserID }),
		strField(func(e *signin.Event) *string { return &e.UserPrincipalName }),
		strField(func(e *signin.Event) *string { return &e.UserDisplayName }),
		strField(func(e *signin.Event) *string { return &e.UserType }),
		strField(func(e *signin.Event) *string { return &e.ServicePrincipalID }),
		strField(func(e *signin.Event) *string { return &e.ServicePrincipalName }),
		strField(func(e *signin.Event) *string { return &e.MsiType }),
		strField(func(e *signin.Event) *string { return &e.AssociatedResourceID }),
		strField(func(e *signin.Event) *string { return &e.ClientCredentialType }),
		strField(func(e *signin.Event) *string { return &e.CredentialKeyID }),
		strField(func(e *signin.Event) *string { return &e.CredentialThumbprint }),
	},
	{ // where
		strField(func(e *signin.Event) *string { return &e.IPAddress }),
		strField(func(e *signin.Event) *string { return &e.CountryOrRegion }),
		strField(func(e *signin.Event) *string { return &e.State }),
		strField(func(e *signin.Event) *string { return &e.City }),
		numField(func(e *signin.Event) *float64 { return &e.Latitude }),
		numField(func(e *signin.Event) *float64 { return &e.Longitude }),
	},
	{ // device
		strField(func(e *signin.Event) *string { return &e.Browser }),
		strField(func(e *signin.Event) *string { return &e.OperatingSystem }),
		strField(func(e *signin.Event) *string { return &e.TrustType }),
		strField(func(e *signin.Event) *string { return &e.ClientAppUsed }),
		triField(func(e *signin.Event) *signin.Tristate { return &e.DeviceCompliant }),
		triField(func(e *signin.Event) *signin.Tristate { return &e.DeviceManaged }),
	},
	{ // what
		strField(func(e *signin.Event) *string { return &e.AppID }),
		strField(func(e *signin.Event) *string { return &e.AppDisplayName }),
		strField(func(e *signin.Event) *string { return &e.ResourceID }),
		strField(func(e *signin.Event) *string { return &e.ResourceDisplayName }),
	},
	{ // how: the authentication's methods, protocol and token
		strField(func(e *signin.Event) *string { return &e.AuthMethods }),
		strField(func(e *signin.Event) *string { return &e.MfaMethod }),
		strField(func(e *signin.Event) *string { return &e.IncomingTokenType }),
		strField(func(e *signin.Event) *string { return &e.AuthProtocol }),
		strField(func(e *signin.Event) *string { return &e.TokenIssuerName }),
		triField(func(e *signin.Event) *signin.Tristate { return &e.GlobalSecureAccess }),
	},
	{ // outcome
		{
			get: func(e *signin.Event) uint64 { return zigzag(int64(e.ErrorCode)) },
			set: func(e *signin.Event, v uint64) bool {
				c := unzigzag(v)
				e.ErrorCode = int32(c)
				return c >= math.MinInt32 && c <= math.MaxInt32
			},
		},
		strField(func(e *signin.Event) *string { return &e.FailureReason }),
		strField(func(e *signin.Event) *string { return &e.ConditionalAccessStatus }),
		strField(func(e *signin.Event) *string { return &e.AuthenticationRequirement }),
		strField(func(e *signin.Event) *string { return &e.RiskLevelDuringSignIn }),
		strField(func(e *signin.Event) *string { return &e.TokenIssuerType }),
		strField(func(e *signin.Event) *string { return &e.CrossTenantAccessType }),
		strField(func(e *signin.Event) *string { return &e.RiskState }),
		strField(func(e *signin.Event) *string { return &e.RiskDetail }),
		strField(func(e *signin.Event) *string { return &e.RiskLevelAggregated }),
		strField(func(e *signin.Event) *string { return &e.RiskEventTypes }),
		{
			get: func(e *signin.Event) uint64 { return uint64(e.LogType) },
			set: func(e *signin.Event, v uint64) bool {
				e.LogType = signin.LogType(v)
				return v <= uint64(signin.ManagedIdentity)
			},
		},
	},
}

// dictFields are the dictionary-coded fields in format order.
var dictFields []*profileField

func init() {
	for _, g := range profileGroups {
		for _, f := range g {
			if f.str != nil || f.num != nil {
				f.dict = len(dictFields)
				dictFields = append(dictFields, f)
			}
		}
	}
}

// copyField copies field f from src to dst.
func (f *profileField) copy(dst, src *signin.Event) {
	switch {
	case f.str != nil:
		*f.str(dst) = *f.str(src)
	case f.num != nil:
		*f.num(dst) = *f.num(src)
	default:
		f.set(dst, f.get(src))
	}
}

func zigzag(v int64) uint64   { return uint64(v<<1) ^ uint64(v>>63) } // #nosec G115 -- zigzag encoding: the bit pattern is the point
func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }    // #nosec G115 -- zigzag decoding: the bit pattern is the point
