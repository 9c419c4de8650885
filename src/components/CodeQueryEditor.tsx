import React, { useEffect, useRef, useState } from 'react';
import { CodeEditor, Field } from '@grafana/ui';

import { SignInQuery } from '../types';

/** The contract's fields, in the README's order: what code mode shows and edits. */
const CONTRACT_FIELDS = [
  'logType',
  'format',
  'metric',
  'groupBy',
  'filters',
  'timeAggregate',
  'limit',
  'timeFrom',
  'timeTo',
  'legendFormat',
  'threshold',
] as const;

/** The query's contract fields as indented JSON. */
export function queryJSON(query: SignInQuery): string {
  const out: Record<string, unknown> = {};
  for (const k of CONTRACT_FIELDS) {
    if (query[k] !== undefined) {
      out[k] = query[k];
    }
  }
  return JSON.stringify(out, null, 2);
}

/** Reads the editor's text: the fields it holds replace the query's contract fields. */
export function parseQueryJSON(text: string, query: SignInQuery): { query?: SignInQuery; error?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { error: `Not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { error: 'The query is a JSON object: {"logType": "interactive", ...}' };
  }
  const next: SignInQuery = { ...query };
  for (const k of CONTRACT_FIELDS) {
    delete next[k];
  }
  return { query: { ...next, ...(parsed as Partial<SignInQuery>) } };
}

interface Props {
  query: SignInQuery;
  onChange: (query: SignInQuery) => void;
  /** The backend's message for a query ('' when it would run). */
  validate: (query: SignInQuery) => Promise<string>;
}

/** How long typing pauses before the backend checks the query. */
const VALIDATE_DELAY_MS = 300;

/**
 * The query as JSON (Grafana's CodeEditor), checked as the user types with the backend's
 * own messages; the query changes when the editor loses focus with a valid query.
 */
export function CodeQueryEditor({ query, onChange, validate }: Props) {
  const [problem, setProblem] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const latest = useRef(0); // only the newest check may set the message
  useEffect(() => () => clearTimeout(timer.current), []);

  const check = (text: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      const n = ++latest.current;
      const parsed = parseQueryJSON(text, query);
      const message = parsed.error ?? (await validate(parsed.query!));
      if (n === latest.current) {
        setProblem(message);
      }
    }, VALIDATE_DELAY_MS);
  };

  const commit = async (text: string) => {
    const parsed = parseQueryJSON(text, query);
    const message = parsed.error ?? (await validate(parsed.query!));
    setProblem(message);
    if (!message && parsed.query && text !== queryJSON(query)) {
      onChange(parsed.query);
    }
  };

  return (
    <Field label="Query JSON" invalid={problem !== ''} error={problem} description="The query contract (README)">
      <CodeEditor
        value={queryJSON(query)}
        language="json"
        height={240}
        showLineNumbers
        showMiniMap={false}
        onChange={check}
        onBlur={commit}
      />
    </Field>
  );
}
