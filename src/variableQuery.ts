import { SignInVariableQuery, VARIABLE_QUERY_TYPE } from './types';

export const DEFAULT_VARIABLE_KEY = 'app';

/**
 * A variable's stored query in the current shape. Grafana hands the editor an empty
 * or partial query for a new variable, and a string if the variable was typed by hand.
 */
export function normalizeVariableQuery(raw: unknown, refId = 'variable'): SignInVariableQuery {
  if (typeof raw === 'string') {
    const key = raw.trim();
    return { refId, queryType: VARIABLE_QUERY_TYPE, key: key || DEFAULT_VARIABLE_KEY, logType: 'all', filters: [] };
  }
  const q = (raw && typeof raw === 'object' ? raw : {}) as Partial<SignInVariableQuery>;
  return {
    ...q,
    refId: q.refId || refId,
    queryType: VARIABLE_QUERY_TYPE,
    key: q.key || DEFAULT_VARIABLE_KEY,
    logType: q.logType ?? 'all',
    filters: q.filters ?? [],
  };
}
