import { screen, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';

/** The open menu's option whose label is exactly `label` (descriptions are ignored). */
export async function findOption(label: string): Promise<HTMLElement> {
  const options = await screen.findAllByRole('option');
  const option = options.find((o) => within(o).queryByText(label) !== null);
  if (!option) {
    throw new Error(`no option "${label}" among: ${options.map((o) => o.textContent).join(' | ')}`);
  }
  return option;
}

/** Opens a Combobox, types to narrow its (virtualised) list, and picks the option labelled `label`. */
export async function choose(user: UserEvent, input: HTMLElement, label: string, typed = label) {
  await user.click(input);
  // A multi-select keeps the last search after a pick.
  await user.clear(input);
  if (typed) {
    // keyboard, not type: type() clicks first, which would close the menu again.
    await user.keyboard(typed);
  }
  await user.click(await findOption(label));
}
