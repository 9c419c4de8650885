import React, { ComponentProps, useState } from 'react';
import { Input } from '@grafana/ui';

type Props = Omit<ComponentProps<typeof Input>, 'value' | 'onChange' | 'onBlur'> & {
  value: string;
  /** Called on blur or Enter, and only when the text changed. */
  onCommit: (value: string) => void;
};

/**
 * A text input that reports its value when the user is done (blur or Enter), not on
 * every keystroke, so a query runs once per edit.
 */
export function CommitInput({ value, onCommit, onKeyDown, ...rest }: Props) {
  const [text, setText] = useState(value);
  // A new value from outside (another editor, undo) replaces what was typed.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setText(value);
  }

  const commit = () => {
    if (text !== value) {
      onCommit(text);
    }
  };

  return (
    <Input
      {...rest}
      value={text}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          commit();
        }
        onKeyDown?.(e);
      }}
    />
  );
}
