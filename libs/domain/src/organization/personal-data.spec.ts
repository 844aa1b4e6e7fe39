import { describe, expect, it } from '@jest/globals';

import { create } from '../testing/commands.js';
import { history } from '../testing/decider-spec.js';
import { withoutPersonalData } from './personal-data.js';

describe('withoutPersonalData', () => {
  it('blanks the e-mail addresses of a creation and keeps everything else', () => {
    const [created] = history(create());
    const redacted = withoutPersonalData(created!);
    expect(JSON.stringify(redacted)).not.toContain('ops@acme.example');
    expect(redacted.data).toMatchObject({
      name: 'acme-industrial',
      profile: { contactEmail: null, displayName: 'Acme Industrial' },
    });
    expect(created!.data).toMatchObject({
      profile: { contactEmail: 'ops@acme.example' },
    });
  });

  it('leaves absent fields absent, so a change that did not touch them says nothing', () => {
    const [, updated] = history(create(), {
      type: 'UpdateProfile',
      payload: { displayName: 'Acme' },
    });
    expect(withoutPersonalData(updated!).data).toEqual({ displayName: 'Acme' });
  });

  it('blanks a changed billing e-mail', () => {
    const [, changed] = history(create(), {
      type: 'ChangeBillingSettings',
      payload: { billingEmail: 'billing@acme.example' },
    });
    expect(withoutPersonalData(changed!).data).toEqual({ billingEmail: null });
  });
});
