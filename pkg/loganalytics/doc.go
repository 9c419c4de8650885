// Package loganalytics reads Microsoft Entra ID sign-ins from the Log Analytics
// workspace that the tenant's diagnostic settings feed, as a store.Source: the
// same four log types as Microsoft Graph, from four tables, decoded into the
// same signin.Event. docs/log-analytics.md is the contract it implements (the
// query it sends, the answer it reads, the limits it works around).
//
// Requests go through the official Azure Monitor Query client (azlogs) with
// azcore's own retries off: this package retries, paces every HTTP attempt
// against a shared pace.Bucket, splits a time range the service cut short
// (PartialError) or timed out on (504), and classifies failures so the plugin
// can say who has to fix what.
package loganalytics
