// Package azure is what the Microsoft services SignInLens reads have in
// common: the clouds and their hosts, the Entra ID credential of a datasource,
// and the HTTP transport that trusts a datasource's CA. The Graph and Log
// Analytics clients build on it; it knows neither.
package azure
