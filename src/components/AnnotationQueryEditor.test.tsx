import React from 'react';
import { screen } from '@testing-library/react';

import { ANNOTATION_QUERY } from '../datasource';
import { makeDataSource } from '../test/fixtures';
import { renderControlled } from '../test/harness';
import { SignInQuery } from '../types';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';

function setup(initial: SignInQuery) {
  const { datasource } = makeDataSource();
  return renderControlled(initial, ({ value, onChange }) => (
    <AnnotationQueryEditor datasource={datasource} query={value} onRunQuery={jest.fn()} onChange={onChange} />
  ));
}

const summary = () => screen.getByTestId('query-summary').textContent;

describe('AnnotationQueryEditor', () => {
  it('starts on the sign-ins a new annotation marks: Conditional Access blocks and lockouts', () => {
    setup({ refId: 'Anno', ...ANNOTATION_QUERY } as SignInQuery);
    expect(screen.getByRole('radio', { name: 'Each sign-in' })).toBeChecked();
    expect(screen.queryByLabelText('Threshold')).not.toBeInTheDocument();
    expect(summary()).toBe('Annotations: the latest 100 interactive sign-ins where error code in 53003,50053');
  });

  it('switches to buckets above a threshold and back, always as format annotations', async () => {
    const { user, latest } = setup({ refId: 'Anno', ...ANNOTATION_QUERY } as SignInQuery);
    await user.click(screen.getByRole('radio', { name: 'Above a threshold' }));
    expect(latest()).toEqual(
      expect.objectContaining({
        format: 'annotations',
        metric: 'failures',
        groupBy: ['app'],
        timeAggregate: '1h',
        threshold: 25,
      })
    );
    const threshold = screen.getByLabelText('Threshold');
    await user.clear(threshold);
    await user.type(threshold, '40{enter}');
    expect(latest().threshold).toBe(40);
    expect(summary()).toBe(
      'Annotations: 1h buckets where failures of interactive sign-ins by app where error code in 53003,50053 exceed 40'
    );

    await user.click(screen.getByRole('radio', { name: 'Each sign-in' }));
    expect(latest()).not.toHaveProperty('threshold');
    expect(latest()).not.toHaveProperty('groupBy');
    expect(latest().format).toBe('annotations');
  });
});
