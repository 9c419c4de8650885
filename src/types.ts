import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

// The query contract (README, "Query reference"). Dashboards and alert rules store this JSON, so
// names and values here must match pkg/query on the Go side exactly.

export type LogType = 'interactive' | 'nonInteractive' | 'servicePrincipal' | 'managedIdentity' | 'all';

export type Format = 'timeSeries' | 'table' | 'grouped' | 'logs' | 'annotations';

export type Metric =
  | 'count'
  | 'successes'
  | 'failures'
  | 'interrupts'
  | 'failureRate'
  | 'distinctUsers'
  | 'distinctApps'
  | 'distinctIPs'
  | 'distinctResources'
  | 'distinctCountries'
  | 'firstSignIn'
  | 'lastSignIn'
  | 'successAfterFailure'
  | 'successRate';

export type FilterOp = '=' | '!=' | '=~' | '!~' | 'in' | 'startsWith';

export type TimeAggregate = 'auto' | '1h' | '6h' | '24h';

export interface Filter {
  key: string;
  op: FilterOp;
  /** For `in`, a comma-separated list; for `=~` and `!~`, an RE2 regular expression. */
  value: string;
}

export interface SignInQuery extends DataQuery {
  logType?: LogType;
  format?: Format;
  metric?: Metric;
  groupBy?: string[];
  filters?: Filter[];
  timeAggregate?: TimeAggregate;
  limit?: number;
  /** Time series only: names each series from its labels, e.g. "{{app}} – {{status}}". */
  legendFormat?: string;
  /**
   * Annotations only: mark the time buckets where the metric of a group exceeds it, instead
   * of each sign-in ("failures of an app above 25 an hour").
   */
  threshold?: number;
  /** RFC 3339: narrow the panel's range (a grouped row's Explore link sets them). */
  timeFrom?: string;
  timeTo?: string;
  /** The editor the query was last edited in (the backend ignores it). */
  editorMode?: 'builder' | 'code';
  /** Ad hoc filters with an operator the contract lacks ("key < value"): named in a notice. */
  ignoredFilters?: string[];
  /** Variable queries only (queryType 'variable'): the dimension whose values are listed. */
  key?: string;
}

/** The query a template variable runs: the distinct values of one dimension. */
export interface SignInVariableQuery extends SignInQuery {
  queryType: typeof VARIABLE_QUERY_TYPE;
  key: string;
}

export const VARIABLE_QUERY_TYPE = 'variable';

export const DEFAULT_QUERY: Partial<SignInQuery> = {
  logType: 'interactive',
  format: 'timeSeries',
  metric: 'count',
  groupBy: [],
  filters: [],
  timeAggregate: 'auto',
};

/** Group-by keys a query may use at most (the engine's limit too). */
export const MAX_GROUP_BY = 3;

/** The limit a format gets when the user switches to it; undefined = the format has no limit. */
export const DEFAULT_LIMITS: Record<Format, number | undefined> = {
  timeSeries: undefined,
  table: 10,
  grouped: 100,
  logs: 100,
  annotations: 100,
};

/** A choice in a select or radio group (fits both Combobox and RadioButtonGroup). */
export interface Option<T extends string> {
  value: T;
  label: string;
  description?: string;
}

export const LOG_TYPES: Array<Option<LogType>> = [
  { value: 'interactive', label: 'Interactive', description: 'A user signs in and is asked for credentials' },
  { value: 'nonInteractive', label: 'Non-interactive', description: 'A client signs in on behalf of a user (tokens)' },
  { value: 'servicePrincipal', label: 'Service principal', description: 'An app signs in with its own credentials' },
  { value: 'managedIdentity', label: 'Managed identity', description: 'An Azure resource signs in with its identity' },
  { value: 'all', label: 'All', description: 'All four types together' },
];

export const FORMATS: Array<Option<Format>> = [
  { value: 'timeSeries', label: 'Time series', description: 'One series per group, one point per time bucket' },
  { value: 'table', label: 'Table', description: 'One row per group over the whole range (top N)' },
  { value: 'grouped', label: 'Grouped', description: "The portal's aggregated rows per log type" },
  { value: 'logs', label: 'Logs', description: 'One row per sign-in, newest first' },
  {
    value: 'annotations',
    label: 'Annotations',
    description: 'Each sign-in as an annotation on graphs: for annotation queries',
  },
];

export const METRICS: Array<Option<Metric>> = [
  { value: 'count', label: 'Sign-ins', description: 'Number of sign-ins' },
  { value: 'successes', label: 'Successes', description: 'Sign-ins with error code 0' },
  { value: 'failures', label: 'Failures', description: 'Sign-ins that failed' },
  { value: 'interrupts', label: 'Interrupts', description: 'Sign-ins waiting on user action (MFA, consent, …)' },
  { value: 'failureRate', label: 'Failure rate', description: 'Failures divided by sign-ins' },
  { value: 'distinctUsers', label: 'Distinct users', description: 'Number of different users' },
  { value: 'distinctApps', label: 'Distinct apps', description: 'Number of different applications' },
  { value: 'distinctIPs', label: 'Distinct IP addresses', description: 'Number of different IP addresses' },
  { value: 'distinctResources', label: 'Distinct resources', description: 'Number of different target resources' },
  {
    value: 'distinctCountries',
    label: 'Distinct countries',
    description: 'Number of different countries or regions signed in from',
  },
  { value: 'successRate', label: 'Success rate', description: 'Percentage of sign-ins that succeeded' },
  {
    value: 'firstSignIn',
    label: 'First sign-in',
    description: 'When the group first signed in within the range (table format only)',
  },
  { value: 'lastSignIn', label: 'Last sign-in', description: 'When the group last signed in (table format only)' },
  {
    value: 'successAfterFailure',
    label: 'Success after failure',
    description: '1 when the group signed in successfully after a failure in the range (table format only)',
  },
];

export const FILTER_OPS: Array<Option<FilterOp>> = [
  { value: '=', label: '=', description: 'Equals' },
  { value: '!=', label: '!=', description: 'Does not equal' },
  { value: '=~', label: '=~', description: 'Matches the regular expression (RE2)' },
  { value: '!~', label: '!~', description: 'Does not match the regular expression (RE2)' },
  { value: 'in', label: 'in', description: 'Is one of a comma-separated list' },
  { value: 'startsWith', label: 'starts with', description: 'Starts with the text' },
];

export const TIME_AGGREGATES: Array<Option<TimeAggregate>> = [
  { value: 'auto', label: 'Auto', description: 'The panel interval, in whole minutes' },
  { value: '1h', label: '1h' },
  { value: '6h', label: '6h' },
  { value: '24h', label: '24h' },
];

/** The dimension keys of the contract (README, "Query reference"), in the order the editors list them. */
export const DIMENSIONS: Array<Option<string>> = [
  { value: 'logType', label: 'Log type' },
  { value: 'user', label: 'User', description: 'User principal name' },
  { value: 'userId', label: 'User ID' },
  { value: 'userDisplayName', label: 'User display name' },
  { value: 'userType', label: 'User type', description: 'Member or guest' },
  { value: 'app', label: 'App', description: 'Application display name' },
  { value: 'appId', label: 'App ID' },
  { value: 'resource', label: 'Resource', description: 'Target resource display name' },
  { value: 'resourceId', label: 'Resource ID' },
  { value: 'servicePrincipal', label: 'Service principal' },
  { value: 'servicePrincipalId', label: 'Service principal ID' },
  { value: 'managedIdentity', label: 'Managed identity' },
  { value: 'msiType', label: 'Managed identity type', description: 'System- or user-assigned' },
  {
    value: 'associatedResource',
    label: 'Associated resource',
    description: 'The Azure resource of a managed identity',
  },
  { value: 'ipAddress', label: 'IP address' },
  { value: 'status', label: 'Status', description: 'success, failure or interrupted' },
  { value: 'errorCode', label: 'Error code' },
  { value: 'failureReason', label: 'Failure reason' },
  { value: 'clientApp', label: 'Client app', description: 'Browser, mobile apps, Exchange ActiveSync, …' },
  { value: 'legacyAuth', label: 'Legacy authentication' },
  { value: 'browser', label: 'Browser' },
  { value: 'os', label: 'Operating system' },
  { value: 'deviceCompliant', label: 'Device compliant' },
  { value: 'deviceManaged', label: 'Device managed' },
  { value: 'trustType', label: 'Device trust type' },
  { value: 'country', label: 'Country or region' },
  { value: 'state', label: 'State' },
  { value: 'city', label: 'City' },
  { value: 'latitude', label: 'Latitude' },
  { value: 'longitude', label: 'Longitude' },
  { value: 'conditionalAccess', label: 'Conditional Access', description: 'success, failure or notApplied' },
  { value: 'authRequirement', label: 'Authentication requirement', description: 'Single- or multifactor' },
  { value: 'riskLevel', label: 'Risk level' },
  { value: 'credentialType', label: 'Credential type', description: 'Client secret, certificate, …' },
  { value: 'tokenIssuerType', label: 'Token issuer type' },
  { value: 'crossTenantAccess', label: 'Cross-tenant access' },
  {
    value: 'authMethod',
    label: 'Authentication method',
    description: 'Each method of the sign-in: a sign-in counts once per method',
  },
  { value: 'mfaMethod', label: 'MFA method' },
  {
    value: 'credentialKeyId',
    label: 'Credential key ID',
    description: "The service principal's secret or certificate",
  },
  { value: 'credentialThumbprint', label: 'Certificate thumbprint' },
  { value: 'riskState', label: 'Risk state', description: 'atRisk, remediated, dismissed, confirmedCompromised' },
  { value: 'riskDetail', label: 'Risk detail' },
  { value: 'riskLevelAggregated', label: 'Risk level (aggregated)' },
  {
    value: 'riskEventType',
    label: 'Risk event type',
    description: 'Each risk event of the sign-in: a sign-in counts once per type',
  },
  { value: 'incomingTokenType', label: 'Incoming token type' },
  { value: 'authProtocol', label: 'Authentication protocol' },
  { value: 'tokenIssuerName', label: 'Token issuer name', description: 'The federation server (AD FS)' },
  { value: 'globalSecureAccess', label: 'Through Global Secure Access' },
];

/** The label of a dimension key, or the key itself for unknown keys and template variables. */
export function dimensionLabel(key: string): string {
  return DIMENSIONS.find((d) => d.value === key)?.label ?? key;
}

// The datasource settings contract (README, "Settings"). pkg/plugin/settings.go reads these.

export type Source = 'demo' | 'graph' | 'logAnalytics';
/** The API the demo tenant speaks (demoApi). */
export type DemoApi = 'graph' | 'logAnalytics';
export type Cloud = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';
export type AuthType = 'clientSecret' | 'clientCertificate' | 'managedIdentity' | 'workloadIdentity';
export type DemoSize = 'small' | 'medium' | 'large';
/** Whether a query is computed in the Log Analytics workspace (pushDown). */
export type PushDown = 'auto' | 'always' | 'never';

export interface SignInDataSourceOptions extends DataSourceJsonData {
  source?: Source;

  // Microsoft Entra ID: both live sources (graph, logAnalytics).
  cloud?: Cloud;
  tenantId?: string;
  clientId?: string;
  authType?: AuthType;
  authorityHost?: string;

  // Microsoft Graph source.
  graphEndpoint?: string;

  // Log Analytics source: the workspace's GUID (Overview → Workspace ID), and an
  // optional override of the cloud's query API.
  workspaceId?: string;
  logAnalyticsEndpoint?: string;
  /**
   * Log Analytics only (a workspace, or the demo speaking it): which queries are counted in
   * the workspace instead of the cache (docs/log-analytics.md, "Push-down"); auto pushes
   * down ranges of pushDownAfterDays or more.
   */
  pushDown?: PushDown;
  pushDownAfterDays?: number;
  /** Log Analytics only: the largest push-down answer read (MB); a larger one is answered from the cache. */
  maxAnswerMB?: number;

  // Demo source.
  demoSeed?: number;
  demoSize?: DemoSize;
  /** No longer read (the plugin reads no file): the config editor says what replaced it. */
  demoFile?: string;
  demoThrottle?: boolean;
  demoApi?: DemoApi;

  /** How far back the source keeps sign-ins (days). */
  retentionDays?: number;

  // Cache.
  /** No longer used (the plugin keeps nothing on disk); a saved one is shown as such. */
  cacheDir?: string;
  memcachedAddresses?: string;
  cacheSizeMB?: number;
  freshnessMinutes?: number;
  refreshSeconds?: number;
  maxLiveStreams?: number;
  warmDays?: number;
  /** Closed windows this recent are revalidated for sign-ins that changed; 0 turns it off. */
  revalidateHours?: number;
  revalidateEverySeconds?: number;

  // Throttle.
  throttleRequests?: number;
  throttleWindowSeconds?: number;
  queryTimeBudgetSeconds?: number;

  // Limits: what one query may cost.
  maxGroups?: number;
  maxFilters?: number;
  maxRegexSize?: number;
  maxCells?: number;
  maxRangeDays?: number;
}

/** Secrets: sent to the backend once, never returned to the browser. */
export interface SignInSecureJsonData {
  clientSecret?: string;
  clientCertificate?: string;
  tlsCACert?: string;
  /**
   * Keys memcached values. Memcached is used only with a secret no other setting reveals: the
   * server's cache_secret, the client secret or certificate, or this one.
   */
  cacheSecret?: string;
}

/**
 * The defaults the backend applies to settings left empty. The config editor shows
 * them as placeholders and never writes them, so the backend stays the one place
 * that decides them. Those that depend on the source are Graph's here; see
 * settingsDefaults.
 */
export const SETTINGS_DEFAULTS = {
  source: 'demo' as Source,
  cloud: 'AzureCloud' as Cloud,
  authType: 'clientSecret' as AuthType,
  demoSeed: 1,
  demoSize: 'medium' as DemoSize,
  demoApi: 'graph' as DemoApi,
  pushDown: 'never' as PushDown,
  pushDownAfterDays: 7,
  retentionDays: 30,
  cacheSizeMB: 256,
  freshnessMinutes: 15,
  refreshSeconds: 60,
  maxLiveStreams: 20,
  warmDays: 7,
  revalidateHours: 24,
  revalidateEverySeconds: 3600,
  throttleRequests: 5,
  throttleWindowSeconds: 10,
  queryTimeBudgetSeconds: 30,
  maxGroups: 200000,
  maxFilters: 30,
  maxRegexSize: 20000,
  maxCells: 2000000,
  maxRangeDays: 92,
  maxAnswerMB: 16,
};

export type SettingsDefaults = typeof SETTINGS_DEFAULTS;

/**
 * Whether the sign-ins come through the Log Analytics query API: a workspace, or the
 * demo tenant speaking it.
 */
export function readsLogAnalytics(jsonData: SignInDataSourceOptions): boolean {
  const source = jsonData.source ?? SETTINGS_DEFAULTS.source;
  return source === 'logAnalytics' || (source === 'demo' && jsonData.demoApi === 'logAnalytics');
}

/**
 * The backend's defaults for these settings: through Log Analytics, windows stay open
 * longer (ingestion is later) and requests are paced by its limits; a workspace keeps
 * 90 days by default.
 */
export function settingsDefaults(jsonData: SignInDataSourceOptions): SettingsDefaults {
  const d = { ...SETTINGS_DEFAULTS };
  if (readsLogAnalytics(jsonData)) {
    d.freshnessMinutes = 30;
    d.throttleRequests = 200;
    d.throttleWindowSeconds = 30;
  }
  if (jsonData.source === 'logAnalytics') {
    d.retentionDays = 90;
    // The demo stays on the cache unless asked, so both of its APIs answer alike.
    d.pushDown = 'auto';
  }
  return d;
}

export interface CloudInfo {
  value: Cloud;
  label: string;
  graphEndpoint: string;
  authorityHost: string;
  logAnalyticsEndpoint: string;
}

export const CLOUDS: CloudInfo[] = [
  {
    value: 'AzureCloud',
    label: 'Azure (global)',
    graphEndpoint: 'https://graph.microsoft.com',
    authorityHost: 'https://login.microsoftonline.com/',
    logAnalyticsEndpoint: 'https://api.loganalytics.io',
  },
  {
    value: 'AzureUSGovernment',
    label: 'Azure US Government',
    graphEndpoint: 'https://graph.microsoft.us',
    authorityHost: 'https://login.microsoftonline.us/',
    logAnalyticsEndpoint: 'https://api.loganalytics.us',
  },
  {
    value: 'AzureChinaCloud',
    label: 'Azure China (21Vianet)',
    graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn/',
    logAnalyticsEndpoint: 'https://api.loganalytics.azure.cn',
  },
];

export const PUSH_DOWNS: Array<Option<PushDown>> = [
  {
    value: 'auto',
    label: 'Auto',
    description: 'Ranges of “Push down from” days or more are counted in the workspace; shorter ones by the cache',
  },
  {
    value: 'always',
    label: 'Always',
    description: 'Every query that has an exact KQL form is counted in the workspace; the rest say why not',
  },
  {
    value: 'never',
    label: 'Never',
    description: 'Every query is answered by the cache, listing the sign-ins of its range',
  },
];

export const AUTH_TYPES: Array<Option<AuthType>> = [
  { value: 'clientSecret', label: 'Client secret', description: 'App registration with a client secret' },
  { value: 'clientCertificate', label: 'Client certificate', description: 'App registration with a certificate' },
  {
    value: 'managedIdentity',
    label: 'Managed identity',
    description: 'The identity of the Azure host running Grafana',
  },
  {
    value: 'workloadIdentity',
    label: 'Workload identity',
    description: 'Kubernetes workload identity federation (AZURE_FEDERATED_TOKEN_FILE)',
  },
];
