// Package signin is the domain of SignInLens: the compact sign-in event, the four
// log types, outcome classification and the dimensions a query can group by.
// It depends on nothing else in the project.
package signin

import (
	"fmt"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
)

// LogType is one of the four sign-in logs Entra ID keeps.
type LogType uint8

// The four log types, in the order the Entra portal lists them.
const (
	Interactive LogType = iota
	NonInteractive
	ServicePrincipal
	ManagedIdentity
)

// LogTypes lists every log type, for loops that span all of them.
var LogTypes = []LogType{Interactive, NonInteractive, ServicePrincipal, ManagedIdentity}

var logTypeNames = [...]string{"interactive", "nonInteractive", "servicePrincipal", "managedIdentity"}

// graphEventTypes are the values of Graph beta's signInEventTypes for each log type.
var graphEventTypes = [...]string{"interactiveUser", "nonInteractiveUser", "servicePrincipal", "managedIdentity"}

// String returns the query-contract name of the log type ("nonInteractive").
func (t LogType) String() string {
	if int(t) < len(logTypeNames) {
		return logTypeNames[t]
	}
	return fmt.Sprintf("LogType(%d)", t)
}

// GraphEventType returns the Graph beta signInEventTypes value ("nonInteractiveUser").
func (t LogType) GraphEventType() string {
	if int(t) < len(graphEventTypes) {
		return graphEventTypes[t]
	}
	return ""
}

// ParseLogType parses a query-contract name such as "servicePrincipal".
func ParseLogType(s string) (LogType, error) {
	for i, name := range logTypeNames {
		if s == name {
			return LogType(i), nil // #nosec G115 -- i indexes the four log types
		}
	}
	return 0, fmt.Errorf("unknown logType %s; want one of %s", clip.Quote(s), strings.Join(logTypeNames[:], ", "))
}

// LogTypeFromGraph maps a Graph signInEventTypes value to a log type.
// The match ignores case because exports are not consistent about it.
func LogTypeFromGraph(s string) (LogType, bool) {
	for i, name := range graphEventTypes {
		if strings.EqualFold(s, name) {
			return LogType(i), true // #nosec G115 -- i indexes the four log types
		}
	}
	return 0, false
}
