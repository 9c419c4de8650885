// Package graph is the Microsoft Graph client of SignInLens: it authenticates with
// azidentity, lists the beta auditLogs/signIns of one log type and time window page by
// page, retries what Graph asks to be retried, and decodes pages into signin.Event.
//
// It knows nothing of caching or queries: the store asks it for windows and keeps the
// results. Everything it returns as an error is classified (see errors.go) so the
// plugin can tell the admin whether Entra ID, the tenant's licence, the network or the
// configuration is at fault, and no error ever carries the client secret.
package graph
