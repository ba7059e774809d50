import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { sendMessage, type FollowReply } from '../../lib/messages';

/** The words after a follow: what was added, and what was hidden and why. */
export function followedText(name: string, reply: FollowReply): string {
  if (reply.alreadyFollowing) return `You already follow ${reply.title}.`;
  const added = `Following ${name}: ${reply.added} ${reply.added === 1 ? 'article' : 'articles'} added`;
  const hidden = reply.hiddenReplies ?? 0;
  if (!hidden) return `${added}.`;
  return `${added}; ${hidden} ${hidden === 1 ? 'post was' : 'posts were'} hidden as ${hidden === 1 ? 'an author reply' : 'author replies'} (Medium items without topics, hidden by your settings).`;
}

/** “Show them”: stores the replies a follow or refresh hid. */
export function ShowHiddenReplies({ feedId, count }: { feedId: string; count: number }) {
  const [state, setState] = useState<{ busy?: boolean; text?: string; error?: boolean }>({});
  if (state.text) {
    return (
      <p class={state.error ? 'follow-status error' : 'follow-status'} role={state.error ? 'alert' : 'status'}>
        {state.text}
      </p>
    );
  }
  const show = async () => {
    setState({ busy: true });
    try {
      const { added } = await sendMessage(browser.runtime.sendMessage, 'feeds:show-replies', { feedId });
      setState({ text: `Added ${added} ${added === 1 ? 'reply' : 'replies'} to your Inbox.` });
    } catch (err) {
      setState({ text: err instanceof Error ? err.message : String(err), error: true });
    }
  };
  return (
    <button type="button" class="plain-button" disabled={state.busy} onClick={() => void show()}>
      Show the {count === 1 ? 'hidden reply' : `${count} hidden replies`}
    </button>
  );
}
