import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { LegendField } from './LegendField';

describe('LegendField', () => {
  it('commits a legend format on Enter and clears it when emptied', () => {
    const onChange = jest.fn();
    const { rerender } = render(<LegendField onChange={onChange} />);
    const input = screen.getByPlaceholderText('{{app}} – {{status}}');
    fireEvent.change(input, { target: { value: '{{app}} ({{status}})' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onChange).toHaveBeenLastCalledWith('{{app}} ({{status}})');

    rerender(<LegendField value="{{app}}" onChange={onChange} />);
    fireEvent.change(input, { target: { value: '  ' } });
    fireEvent.blur(input);
    expect(onChange).toHaveBeenLastCalledWith(undefined);
  });
});
