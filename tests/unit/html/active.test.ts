import { describe, expect, it } from 'vitest';
import { countActiveContent } from '../../../lib/html/active';

describe('countActiveContent', () => {
  it('counts scripts, frames, handlers and script URLs, not prose that mentions them', () => {
    expect(countActiveContent('<p onclick="x()">a</p><img src="i.png" onerror="y()"><script>1</script><iframe srcdoc="<b>"></iframe><a href="javascript:z()">l</a>')).toBe(6);
    expect(countActiveContent('<p>Set onclick= in a script tag, or use javascript: URLs.</p><pre>&lt;script&gt;</pre>')).toBe(0);
  });
});
