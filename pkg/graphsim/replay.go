package graphsim

import (
	"net/http"
	"time"
)

// ReplayPath is where a simulator replaying a file describes it, relative to
// its base URL. A datasource pointed at a custom endpoint asks it once: a
// replay holds a fixed span, possibly years old, so its ranges are clipped to
// that span rather than refused by Graph's retention, and it is never tailed.
// Microsoft's endpoints are never asked (they have no such path).
const ReplayPath = "/.well-known/signinlens-replay"

// Replay describes a replayed file: the times of its oldest and newest
// sign-in, and per log type (its contract name) how many of its records
// repeated a sign-in and were served once, in their latest version.
type Replay struct {
	First     time.Time      `json:"first"`
	Last      time.Time      `json:"last"`
	Collapsed map[string]int `json:"collapsed,omitempty"`
}

// ReplayOf describes src; ok is false unless src replays a file that holds
// at least one sign-in.
func ReplayOf(src Source) (Replay, bool) {
	fs, isFile := src.(*fileSource)
	if !isFile || fs.first.IsZero() {
		return Replay{}, false
	}
	r := Replay{First: fs.first, Last: fs.last}
	for lt, n := range fs.collapsed {
		if n > 0 {
			if r.Collapsed == nil {
				r.Collapsed = make(map[string]int)
			}
			r.Collapsed[lt.String()] = n
		}
	}
	return r, true
}

// serveReplay answers ReplayPath: the file's description, or Graph's 404
// when the simulator serves a synthetic tenant. It needs no token, as
// OpenID metadata does not: it says when, not who.
func (s *Server) serveReplay(w http.ResponseWriter, r *http.Request) {
	replay, ok := ReplayOf(s.opts.Source)
	if !ok {
		s.writeGraphError(w, r, http.StatusNotFound, "ResourceNotFound", "This simulator replays no file.")
		return
	}
	writeJSON(w, http.StatusOK, replay)
}
