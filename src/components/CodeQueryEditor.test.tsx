import React, { useState } from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';

import { SignInQuery } from '../types';
import { CodeQueryEditor, parseQueryJSON, queryJSON } from './CodeQueryEditor';

// Monaco does not run in jsdom: a textarea stands in for Grafana's CodeEditor.
jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  CodeEditor: ({
    value,
    onChange,
    onBlur,
  }: {
    value: string;
    onChange: (v: string) => void;
    onBlur: (v: string) => void;
  }) => (
    <textarea
      aria-label="Query JSON editor"
      defaultValue={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      onBlur={(e) => onBlur(e.currentTarget.value)}
    />
  ),
}));

describe('CodeQueryEditor', () => {
  const base: SignInQuery = {
    refId: 'A',
    editorMode: 'code',
    logType: 'nonInteractive',
    format: 'grouped',
    timeFrom: '2026-03-02T00:00:00Z',
    timeTo: '2026-03-02T01:00:00Z',
  };

  it('shows every contract field and none of the panel bookkeeping', () => {
    expect(JSON.parse(queryJSON(base))).toEqual({
      logType: 'nonInteractive',
      format: 'grouped',
      timeFrom: '2026-03-02T00:00:00Z',
      timeTo: '2026-03-02T01:00:00Z',
    });
  });

  it('reads JSON back, keeping refId and mode, and names what is not JSON', () => {
    expect(parseQueryJSON('{"logType":"all","format":"logs"}', base).query).toEqual({
      refId: 'A',
      editorMode: 'code',
      logType: 'all',
      format: 'logs',
    });
    expect(parseQueryJSON('{"logType":', base).error).toMatch(/^Not JSON/);
    expect(parseQueryJSON('[1]', base).error).toMatch(/JSON object/);
  });

  it("shows the backend's message as the user types and changes the query only when valid", async () => {
    const validate = jest
      .fn()
      .mockImplementation(async (q: SignInQuery) =>
        q.metric === 'lastSignIn' ? 'invalid query: metric lastSignIn is a time, answered by format table only' : ''
      );
    const changes: SignInQuery[] = [];
    function Harness() {
      const [query, setQuery] = useState(base);
      return (
        <CodeQueryEditor
          query={query}
          validate={validate}
          onChange={(q) => {
            changes.push(q);
            setQuery(q);
          }}
        />
      );
    }
    render(<Harness />);
    const editor = screen.getByLabelText('Query JSON editor');

    fireEvent.change(editor, { target: { value: '{"metric":"lastSignIn"}' } });
    expect(await screen.findByText(/metric lastSignIn is a time/)).toBeInTheDocument();
    fireEvent.blur(editor);
    await waitFor(() => expect(validate).toHaveBeenCalledTimes(2));
    expect(changes).toHaveLength(0);

    fireEvent.change(editor, { target: { value: '{"logType":"interactive","format":"table","metric":"count"}' } });
    fireEvent.blur(editor);
    await waitFor(() =>
      expect(changes).toEqual([
        { refId: 'A', editorMode: 'code', logType: 'interactive', format: 'table', metric: 'count' },
      ])
    );
    await waitFor(() => expect(screen.queryByText(/metric lastSignIn/)).not.toBeInTheDocument());
  });
});
