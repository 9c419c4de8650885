// Package graphsim is a stand-in for the two Microsoft services SignInLens talks
// to: the Microsoft Graph sign-in log API (GET /v1.0|beta/auditLogs/signIns) and
// the Entra ID token endpoint (OAuth2 client credentials). It serves the embedded
// demo datasource, every test and the benchmarks, so it copies the behaviour a
// client has to cope with — $filter grammar and its 400s, newest-first paging
// with opaque skip tokens, bearer tokens that expire, per-tenant throttling with
// Retry-After, ingestion delay — rather than just returning data.
//
// The data comes from a Source: a synthetic tenant (TenantSource) or a replayed
// export of real Graph or diagnostic-settings records (FileSource). Records are
// served byte-for-byte as the Source holds them, in the version of the
// server's clock: a sign-in Entra changed after the fact (Record.Revision, a
// risk remediated, say) is served revised from then on, and the workspace
// holds one more row of it.
package graphsim
