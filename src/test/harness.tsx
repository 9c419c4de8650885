import React, { useState } from 'react';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

/**
 * Renders a controlled editor with its value kept in state, as Grafana does, so a
 * test can type and pick through several steps. `changes` records every value the
 * editor reported; `latest()` is the last one.
 */
export function renderControlled<T>(
  initial: T,
  Editor: (p: { value: T; onChange: (v: T) => void }) => React.ReactElement
) {
  const changes: T[] = [];
  function Harness() {
    const [value, setValue] = useState(initial);
    return (
      <Editor
        value={value}
        onChange={(v) => {
          changes.push(v);
          setValue(v);
        }}
      />
    );
  }
  const user = userEvent.setup({ delay: null });
  const result = render(<Harness />);
  return {
    ...result,
    user,
    changes,
    latest: () => {
      if (changes.length === 0) {
        throw new Error('the editor reported no change');
      }
      return changes[changes.length - 1];
    },
  };
}
