import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { Article } from '../../lib/db/types';
import { sendMessage } from '../../lib/messages';
import './following.css';

/**
 * Shown on a member-only preview: "Get full text" opens the post in a
 * background tab of this browser (the reader's own Medium session) and
 * captures it over the preview.
 */
export function FullTextOffer({ article }: { article: Article }) {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ text: string; error?: boolean }>();
  if (!article.isPreview && !status) return null;
  const run = async () => {
    setBusy(true);
    setStatus({ text: 'Opening the post in a background tab…' });
    try {
      const r = await sendMessage(browser.runtime.sendMessage, 'feeds:full-text', { articleId: article.id });
      setStatus({ text: r.warning ?? 'The full text is now saved.', error: !!r.warning });
    } catch (err) {
      setStatus({ text: err instanceof Error ? err.message : String(err), error: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="warning full-text-offer" role="note">
      {article.isPreview ? <span>This is a member-only preview.</span> : null}
      {article.isPreview ? (
        <button type="button" class="primary-button" disabled={busy} onClick={() => void run()}>
          Get full text
        </button>
      ) : null}
      {status ? <span role={status.error ? 'alert' : 'status'}>{status.text}</span> : null}
    </div>
  );
}
