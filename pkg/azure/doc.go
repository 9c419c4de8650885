// Package azure is what the Microsoft services SignInLens reads have in
// common: the clouds and their hosts, the Entra ID credential of a datasource,
// the HTTP transport that trusts a datasource's CA, the failures of a service
// by who has to act (one error type and its categories), the redaction of
// secrets from errors, and the retry of a request (backoff, Retry-After,
// one refreshed token). The Graph and Log Analytics clients build on it and
// keep only their wire protocols; it knows neither.
package azure
