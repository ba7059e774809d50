// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../lib/feeds/parse';
import { createSanitizer } from '../../../lib/html/sanitize';
import { importFile } from '../../../lib/io/import';
import { preBreaksToNewlines } from '../../../lib/html/pre-breaks';
import { freshDb } from '../helpers/db';
import { fileOf, importDeps } from '../io/helpers';

describe('code is stored with real newlines, from every source', () => {
  it('turns <br> inside <pre> into newlines and leaves other <br> alone', () => {
    expect(preBreaksToNewlines('<pre class="x">a<br>b<BR/>c<br />\nd</pre><p>x<br>y</p>')).toBe('<pre class="x">a\nb\nc\nd</pre><p>x<br>y</p>');
    expect(preBreaksToNewlines('<p>no code</p>')).toBe('<p>no code</p>');
  });

  it('in the sanitizer every write goes through: strings (feeds, imports, restore) and DOM copies (clips)', () => {
    const sanitize = createSanitizer(window);
    expect(sanitize('<pre><code>kubectl get pods<br>kubectl get nodes</code></pre>')).toBe('<pre><code>kubectl get pods\nkubectl get nodes</code></pre>');
    const root = document.createElement('div');
    root.innerHTML = '<pre>one<br>two</pre>';
    expect(sanitize.children(root).innerHTML).toBe('<pre>one\ntwo</pre>');
  });

  it('a Medium feed item imported from a file keeps each code line', async () => {
    const db = freshDb();
    const feed = `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Ana</title><link>https://medium.com/@ana</link>
      <item><title>Pods</title><link>https://medium.com/@ana/pods-1</link><guid>https://medium.com/p/1</guid><category>k8s</category>
      <content:encoded><![CDATA[<p>Run these:</p><pre>kubectl get pods<br>kubectl describe pod api-0</pre>]]></content:encoded></item></channel></rss>`;
    await importFile(fileOf('medium.xml', feed), importDeps(db, parseFeed));
    const [c] = await db.contents.toArray();
    expect(c!.html).toContain('<pre>kubectl get pods\nkubectl describe pod api-0</pre>');
    expect(c!.text).toContain('kubectl get pods\nkubectl describe pod api-0');
  });
});
