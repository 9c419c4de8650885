import { screen, within } from '@testing-library/react';

import { startsWith } from '../../test/fixtures';

import { choose, findOption } from '../../test/combobox';
import { SourceSection } from './SourceSection';
import { renderConfig } from './testing';

const WORKSPACE = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

/** A radio button of one group: "Microsoft Graph" is both a source and a demo API. */
const radio = (group: string, name: string) =>
  within(screen.getByRole('radiogroup', { name: group })).getByRole('radio', { name });

describe('SourceSection', () => {
  it('starts on the demo tenant with its defaults as placeholders', () => {
    renderConfig(SourceSection);
    expect(radio('Source', 'Demo tenant')).toBeChecked();
    expect(radio('Demo API', 'Microsoft Graph')).toBeChecked();
    expect(screen.getByText(/both show the same tenant/)).toBeInTheDocument();
    expect(screen.getByLabelText(startsWith('Seed'))).toHaveAttribute('placeholder', '1');
    expect(screen.getByRole('radio', { name: 'Medium' })).toBeChecked();
    expect(screen.queryByText(/Replay files are no longer read/)).not.toBeInTheDocument();
  });

  it('writes the demo options into jsonData', async () => {
    const { user, latest } = renderConfig(SourceSection);
    await user.click(radio('Demo API', 'Log Analytics workspace'));
    await user.type(screen.getByLabelText(startsWith('Seed')), '42');
    await user.click(screen.getByRole('radio', { name: 'Large' }));
    await user.click(screen.getByLabelText(startsWith('Simulate throttling')));
    expect(latest().jsonData).toEqual({
      demoApi: 'logAnalytics',
      demoSeed: 42,
      demoSize: 'large',
      demoThrottle: true,
    });
  });

  it('removes an emptied seed so the default applies', async () => {
    const { user, latest } = renderConfig(SourceSection, { demoSeed: 7 });
    expect(screen.getByLabelText(startsWith('Seed'))).toHaveValue(7);
    await user.clear(screen.getByLabelText(startsWith('Seed')));
    expect(latest().jsonData.demoSeed).toBeUndefined();
  });

  it('switches to Microsoft Graph and hides the demo options', async () => {
    const { user, latest } = renderConfig(SourceSection);
    await user.click(radio('Source', 'Microsoft Graph'));
    expect(latest().jsonData.source).toBe('graph');
    expect(screen.queryByLabelText(startsWith('Seed'))).not.toBeInTheDocument();
    expect(screen.queryByRole('radiogroup', { name: 'Demo API' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText(startsWith('Workspace ID'))).not.toBeInTheDocument();
  });

  it('asks for the workspace ID of a Log Analytics workspace, and saves it', async () => {
    const { user, latest } = renderConfig(SourceSection);
    await user.click(radio('Source', 'Log Analytics workspace'));
    expect(screen.queryByLabelText(startsWith('Seed'))).not.toBeInTheDocument();
    const workspace = screen.getByLabelText(startsWith('Workspace ID'));
    expect(workspace).toHaveAttribute('placeholder', '00000000-0000-0000-0000-000000000000');
    expect(screen.queryByText(/Not a GUID/)).not.toBeInTheDocument();
    await user.type(workspace, WORKSPACE);
    expect(screen.queryByText(/Not a GUID/)).not.toBeInTheDocument();
    expect(latest().jsonData).toEqual({ source: 'logAnalytics', workspaceId: WORKSPACE });
  });

  it('says a workspace ID that is not a GUID is wrong, and still saves it', async () => {
    const { user, latest } = renderConfig(SourceSection, { source: 'logAnalytics' });
    await user.type(screen.getByLabelText(startsWith('Workspace ID')), 'contoso-signins');
    expect(screen.getByText(/Not a GUID: use the Workspace ID/)).toBeInTheDocument();
    expect(latest().jsonData).toEqual({ source: 'logAnalytics', workspaceId: 'contoso-signins' });
    await user.clear(screen.getByLabelText(startsWith('Workspace ID')));
    expect(screen.queryByText(/Not a GUID/)).not.toBeInTheDocument();
    expect(latest().jsonData).toEqual({ source: 'logAnalytics' });
  });

  it('renders saved demo settings', () => {
    renderConfig(SourceSection, {
      source: 'demo',
      demoApi: 'logAnalytics',
      demoSize: 'small',
      demoThrottle: true,
    });
    expect(radio('Demo API', 'Log Analytics workspace')).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Small' })).toBeChecked();
    expect(screen.getByLabelText(startsWith('Simulate throttling'))).toBeChecked();
  });

  it('says what replaced a saved replay file, and forgets it on request', async () => {
    const { user, latest } = renderConfig(SourceSection, { source: 'demo', demoFile: '/var/lib/grafana/x.json' });
    const alert = screen.getByRole('alert', { name: 'Replay files are no longer read by the plugin' });
    expect(alert).toHaveTextContent('/var/lib/grafana/x.json');
    expect(alert).toHaveTextContent('graphsim serve --tls --file <export>');
    await user.click(within(alert).getByRole('button', { name: 'Forget the replay file' }));
    expect(latest().jsonData.demoFile).toBeUndefined();
  });

  it('renders a saved workspace ID, spaces and all', () => {
    renderConfig(SourceSection, { source: 'logAnalytics', workspaceId: ` ${WORKSPACE} ` });
    expect(radio('Source', 'Log Analytics workspace')).toBeChecked();
    expect(screen.getByLabelText(startsWith('Workspace ID'))).toHaveValue(` ${WORKSPACE} `);
    expect(screen.queryByText(/Not a GUID/)).not.toBeInTheDocument();
  });

  describe('push-down', () => {
    const pushDown = () => screen.getByLabelText(startsWith('Push-down'));
    const afterDays = () => screen.queryByLabelText(startsWith('Push down from (days)'));

    it('is offered only when the sign-ins come through Log Analytics', () => {
      for (const jsonData of [
        {},
        { source: 'graph' as const },
        { source: 'graph' as const, demoApi: 'logAnalytics' as const },
      ]) {
        const { unmount } = renderConfig(SourceSection, jsonData);
        expect(screen.queryByLabelText(startsWith('Push-down'))).not.toBeInTheDocument();
        expect(afterDays()).not.toBeInTheDocument();
        unmount();
      }
    });

    it("shows a workspace's default, auto from 7 days, without writing it", () => {
      const { latest } = renderConfig(SourceSection, { source: 'logAnalytics' });
      expect(pushDown()).toHaveValue('Auto');
      expect(pushDown()).toHaveAccessibleName(/Default: auto for a workspace/);
      expect(afterDays()).toHaveAttribute('placeholder', '7');
      expect(latest().jsonData).toEqual({ source: 'logAnalytics' });
    });

    it("shows the demo's default, never, and no days", () => {
      renderConfig(SourceSection, { source: 'demo', demoApi: 'logAnalytics' });
      expect(pushDown()).toHaveValue('Never');
      expect(pushDown()).toHaveAccessibleName(/Default: never for the demo tenant/);
      expect(pushDown()).toHaveAccessibleName(/Every query is answered by the cache/);
      expect(afterDays()).not.toBeInTheDocument();
    });

    it('describes each mode and saves the one picked, and the days under auto', async () => {
      const { user, latest } = renderConfig(SourceSection, { source: 'logAnalytics', workspaceId: WORKSPACE });
      await user.click(pushDown());
      const described: Array<[string, RegExp]> = [
        ['Auto', /Ranges of .Push down from. days or more are counted in the workspace/],
        ['Always', /Every query that has an exact KQL form is counted in the workspace/],
        ['Never', /Every query is answered by the cache/],
      ];
      for (const [label, description] of described) {
        expect((await findOption(label)).textContent).toMatch(description);
      }
      await user.keyboard('{Escape}');
      await user.type(afterDays()!, '30');
      expect(latest().jsonData).toEqual({ source: 'logAnalytics', workspaceId: WORKSPACE, pushDownAfterDays: 30 });

      await choose(user, pushDown(), 'Always');
      expect(latest().jsonData.pushDown).toBe('always');
      expect(pushDown()).toHaveAccessibleName(/Every query that has an exact KQL form is counted in the workspace/);
      expect(afterDays()).not.toBeInTheDocument();

      await choose(user, pushDown(), 'Never');
      expect(latest().jsonData).toEqual({
        source: 'logAnalytics',
        workspaceId: WORKSPACE,
        pushDown: 'never',
        pushDownAfterDays: 30,
      });
    });

    it('renders saved settings', () => {
      renderConfig(SourceSection, { source: 'demo', demoApi: 'logAnalytics', pushDown: 'auto', pushDownAfterDays: 14 });
      expect(pushDown()).toHaveValue('Auto');
      expect(afterDays()).toHaveValue(14);
    });
  });
});
