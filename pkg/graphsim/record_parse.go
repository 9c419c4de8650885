package graphsim

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// recordFields are the fields of a Graph sign-in object the simulator reads;
// everything else is carried in the raw bytes untouched.
type recordFields struct {
	ID                string   `json:"id"`
	CreatedDateTime   string   `json:"createdDateTime"`
	UserID            string   `json:"userId"`
	UserPrincipalName string   `json:"userPrincipalName"`
	AppID             string   `json:"appId"`
	AppDisplayName    string   `json:"appDisplayName"`
	RiskState         anyText  `json:"riskState"` // any JSON type an export has, as text
	IsInteractive     *bool    `json:"isInteractive"`
	SignInEventTypes  []string `json:"signInEventTypes"`
	Status            *struct {
		ErrorCode int32 `json:"errorCode"` // missing, as in "status":{}, reads as 0
	} `json:"status"`
}

// parseRecord reads a Graph sign-in object. typ, when not nil, is the log type
// known from outside (a diagnostic category); otherwise it is derived from the
// object as Graph clients must.
func parseRecord(raw json.RawMessage, typ *signin.LogType) (Record, error) {
	var f recordFields
	if err := json.Unmarshal(raw, &f); err != nil {
		return Record{}, fmt.Errorf("sign-in object: %w", err)
	}
	if f.ID == "" {
		return Record{}, errors.New("sign-in object has no id")
	}
	created, err := parseCreated(f.CreatedDateTime)
	if err != nil {
		return Record{}, fmt.Errorf("sign-in %s: %w", f.ID, err)
	}
	rec := Record{
		Created:           created,
		ID:                f.ID,
		AppID:             f.AppID,
		UserID:            f.UserID,
		UserPrincipalName: f.UserPrincipalName,
		AppDisplayName:    f.AppDisplayName,
		RiskState:         string(f.RiskState),
		JSON:              raw,
	}
	if f.Status != nil {
		rec.ErrorCode = f.Status.ErrorCode
	}
	if typ != nil {
		rec.Type = *typ
	} else {
		rec.Type = logTypeOf(&f)
	}
	return rec, nil
}

// logTypeOf derives the log type of a Graph object: the first recognised
// signInEventTypes value (beta); without one (v1.0, old exports) isInteractive
// decides, and a missing isInteractive means interactive, the only kind v1.0 lists.
func logTypeOf(f *recordFields) signin.LogType {
	for _, s := range f.SignInEventTypes {
		if lt, ok := signin.LogTypeFromGraph(s); ok {
			return lt
		}
	}
	if f.IsInteractive != nil && !*f.IsInteractive {
		return signin.NonInteractive
	}
	return signin.Interactive
}
