import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { SaveResult } from '../../lib/capture/save';
import { targetTabId, type TabsApi } from '../../lib/capture/target';
import { sendMessage } from '../../lib/messages';
import './save-page.css';

type State =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'done'; result: SaveResult }
  | { kind: 'undone' }
  | { kind: 'failed'; message: string };

/** Names this component's live region apart from the popup's others. */
export const STATUS_LABEL = 'Save status';

const send = (m: unknown) => browser.runtime.sendMessage(m);

/** "Save this page": clips the tab the popup was opened on, with feedback in place. */
export function SavePageButton() {
  const [state, setState] = useState<State>({ kind: 'idle' });

  const save = async () => {
    setState({ kind: 'saving' });
    try {
      const tabId = await targetTabId(browser.tabs as unknown as TabsApi);
      if (tabId === undefined) throw new Error('There is no page to save in this window.');
      const result = await sendMessage(send, 'capture:tab', { tabId });
      setState({ kind: 'done', result });
    } catch (err) {
      setState({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  };

  const open = (id: string) => {
    void browser.tabs.create({ url: browser.runtime.getURL(`/reader.html?id=${encodeURIComponent(id)}`) });
  };

  const undo = async (id: string) => {
    try {
      await sendMessage(send, 'capture:undo', { id });
      setState({ kind: 'undone' });
    } catch (err) {
      setState({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <div class="save-page">
      <button type="button" class="save-page-button" onClick={() => void save()} disabled={state.kind === 'saving'}>
        {state.kind === 'saving' ? 'Saving…' : 'Save this page'}
      </button>
      <Feedback state={state} onOpen={open} onUndo={(id) => void undo(id)} />
    </div>
  );
}

function Feedback({ state, onOpen, onUndo }: { state: State; onOpen: (id: string) => void; onUndo: (id: string) => void }) {
  if (state.kind === 'idle') return <p class="save-status" role="status" aria-label={STATUS_LABEL} />;
  if (state.kind === 'saving')
    return (
      <p class="save-status" role="status" aria-label={STATUS_LABEL}>
        Saving this page…
      </p>
    );
  if (state.kind === 'undone')
    return (
      <p class="save-status" role="status" aria-label={STATUS_LABEL}>
        Removed from Offprint.
      </p>
    );
  if (state.kind === 'failed')
    return (
      <p class="save-status failed" role="alert" aria-label={STATUS_LABEL}>
        {state.message}
      </p>
    );
  const { result } = state;
  return (
    <p class="save-status ok" role="status" aria-label={STATUS_LABEL}>
      <span>{result.status === 'updated' ? 'Updated' : 'Saved'}</span>
      <button type="button" class="link-button" onClick={() => onOpen(result.id)}>
        Open
      </button>
      {result.status === 'added' ? (
        <button type="button" class="link-button" onClick={() => onUndo(result.id)}>
          Undo
        </button>
      ) : null}
      {result.keptBecause ? <span class="save-warning">Kept the fuller copy already saved: {result.keptBecause}.</span> : null}
      {result.warning ? <span class="save-warning">{result.warning}</span> : null}
    </p>
  );
}
