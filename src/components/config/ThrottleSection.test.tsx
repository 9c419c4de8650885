import { screen } from '@testing-library/react';

import { startsWith } from '../../test/fixtures';

import { ThrottleSection } from './ThrottleSection';
import { renderConfig } from './testing';

describe('ThrottleSection', () => {
  it("shows Graph's limits as placeholders", async () => {
    const { user } = renderConfig(ThrottleSection);
    await user.click(screen.getByRole('button', { name: 'Expand section Throttle and limits' }));
    expect(screen.getByLabelText(startsWith('Requests per window'))).toHaveAttribute('placeholder', '5');
    expect(screen.getByLabelText(startsWith('Window (seconds)'))).toHaveAttribute('placeholder', '10');
    expect(screen.getByLabelText(startsWith('Query time budget (seconds)'))).toHaveAttribute('placeholder', '30');
    expect(screen.getByLabelText(startsWith('Most groups per query'))).toHaveAttribute('placeholder', '200000');
    expect(screen.getByText(/Microsoft Graph allows 5 sign-in report requests per 10 seconds/)).toBeInTheDocument();
    expect(screen.getByLabelText(startsWith('Requests per window'))).toHaveAccessibleName(/Most Graph requests/);
  });

  it("shows Log Analytics' limits as placeholders when the sign-ins come through it", async () => {
    for (const jsonData of [{ source: 'logAnalytics' as const }, { demoApi: 'logAnalytics' as const }]) {
      const { user, unmount } = renderConfig(ThrottleSection, jsonData);
      await user.click(screen.getByRole('button', { name: 'Expand section Throttle and limits' }));
      expect(screen.getByText(/Log Analytics allows about 200 requests per 30 seconds/)).toBeInTheDocument();
      expect(screen.getByLabelText(startsWith('Requests per window'))).toHaveAttribute('placeholder', '200');
      expect(screen.getByLabelText(startsWith('Requests per window'))).toHaveAccessibleName(
        /Most Log Analytics requests/
      );
      expect(screen.getByLabelText(startsWith('Window (seconds)'))).toHaveAttribute('placeholder', '30');
      expect(screen.getByLabelText(startsWith('Query time budget (seconds)'))).toHaveAttribute('placeholder', '30');
      unmount();
    }
  });

  it("states the source's retention", async () => {
    const { user, unmount } = renderConfig(ThrottleSection, { source: 'graph' });
    await user.click(screen.getByRole('button', { name: 'Expand section Throttle and limits' }));
    expect(screen.getByLabelText(startsWith('Longest range (days)'))).toHaveAccessibleName(
      /naming maxRangeDays\. A range older than retentionDays \(default 30, Microsoft Graph’s retention\) is refused$/
    );
    unmount();
    const demo = renderConfig(ThrottleSection, { maxRangeDays: 120 });
    expect(screen.getByLabelText(startsWith('Longest range (days)'))).not.toHaveAccessibleName(/retentionDays/);
    demo.unmount();
    renderConfig(ThrottleSection, { source: 'logAnalytics', maxRangeDays: 120 });
    expect(screen.getByLabelText(startsWith('Longest range (days)'))).toHaveAccessibleName(
      /older than retentionDays \(default 90, the workspace’s retention\) are empty/
    );
  });

  it("shows the query limits' defaults as placeholders, and says what happens past them", async () => {
    const { user } = renderConfig(ThrottleSection);
    await user.click(screen.getByRole('button', { name: 'Expand section Throttle and limits' }));
    expect(screen.getByLabelText(startsWith('Most cells per query'))).toHaveAttribute('placeholder', '2000000');
    expect(screen.getByLabelText(startsWith('Most filters per query'))).toHaveAttribute('placeholder', '30');
    expect(screen.getByLabelText(startsWith('Most regex instructions per query'))).toHaveAttribute(
      'placeholder',
      '20000'
    );
    expect(screen.getByLabelText(startsWith('Longest range (days)'))).toHaveAttribute('placeholder', '92');
    expect(screen.getByText(/refused with an error naming maxFilters/)).toBeInTheDocument();
    expect(screen.getByText(/in RE2 instructions/)).toBeInTheDocument();
  });

  it('starts open when a query limit is saved', () => {
    renderConfig(ThrottleSection, { maxRangeDays: 31 });
    expect(screen.getByLabelText(startsWith('Longest range (days)'))).toHaveValue(31);
  });

  it('saves the throttle settings as numbers, and removes emptied ones', async () => {
    const { user, latest } = renderConfig(ThrottleSection, { throttleWindowSeconds: 10 });
    await user.type(screen.getByLabelText(startsWith('Requests per window')), '3');
    await user.clear(screen.getByLabelText(startsWith('Window (seconds)')));
    await user.type(screen.getByLabelText(startsWith('Query time budget (seconds)')), '120');
    await user.type(screen.getByLabelText(startsWith('Most groups per query')), '5000');
    expect(latest().jsonData).toEqual({ throttleRequests: 3, queryTimeBudgetSeconds: 120, maxGroups: 5000 });
  });

  it('saves the query limits as numbers, and removes emptied ones', async () => {
    const { user, latest } = renderConfig(ThrottleSection, { maxCells: 1000000 });
    await user.clear(screen.getByLabelText(startsWith('Most cells per query')));
    await user.type(screen.getByLabelText(startsWith('Most filters per query')), '50');
    await user.type(screen.getByLabelText(startsWith('Most regex instructions per query')), '40000');
    await user.type(screen.getByLabelText(startsWith('Longest range (days)')), '365');
    expect(latest().jsonData).toEqual({ maxFilters: 50, maxRegexSize: 40000, maxRangeDays: 365 });
  });
});
