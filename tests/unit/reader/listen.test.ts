// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { collectSentences, ListenPlayer, splitSentences, type ListenState } from '../../../lib/reader/listen';

function body(html: string): HTMLElement {
  const el = document.createElement('div');
  el.innerHTML = html;
  document.body.replaceChildren(el);
  return el;
}

describe('sentences to read', () => {
  it('splits text into sentences', () => {
    const text = 'Canaries are cheap. Are they? Yes!  Ship it';
    expect(splitSentences(text).map(([a, b]) => text.slice(a, b))).toEqual(['Canaries are cheap.', 'Are they?', 'Yes!', 'Ship it']);
  });

  it('reads innermost blocks in order, with ranges over the text, and skips code when asked', () => {
    const root = body('<h2>Title here</h2><p>First <em>one</em>. Second.</p><ul><li><p>Item text.</p></li></ul><div class="code-block"><button>Copy</button><pre>kubectl get pods\n\nkubectl logs x</pre></div>');
    const withCode = collectSentences(root, { skipCode: false });
    expect(withCode.map((s) => s.text)).toEqual(['Title here', 'First one.', 'Second.', 'Item text.', 'kubectl get pods', 'kubectl logs x']);
    expect(withCode[1]!.range.toString()).toBe('First one.');
    expect(withCode[1]!.block.tagName).toBe('P');
    expect(collectSentences(root, { skipCode: true }).map((s) => s.text)).not.toContain('kubectl get pods');
  });
});

class FakeSpeech {
  spoken: SpeechSynthesisUtterance[] = [];
  cancels = 0;
  speak(u: SpeechSynthesisUtterance) {
    this.spoken.push(u);
  }
  cancel() {
    this.cancels += 1;
  }
  getVoices() {
    return [];
  }
  end() {
    this.spoken.at(-1)!.onend?.({} as SpeechSynthesisEvent);
  }
}

const utter = (text: string) => ({ text }) as unknown as SpeechSynthesisUtterance;

describe('the Listen player', () => {
  it('speaks one sentence after another, marks each, and pauses and resumes at the sentence', () => {
    const speech = new FakeSpeech();
    const marked: number[] = [];
    const states: ListenState[] = [];
    const player = new ListenPlayer(speech, [{ text: 'A.' }, { text: 'B.' }, { text: 'C.' }], { rate: 1.5, onSentence: (i) => marked.push(i), onState: (s) => states.push(s), utter });
    player.play(0);
    expect(speech.spoken.map((u) => u.text)).toEqual(['A.']);
    expect(speech.spoken[0]!.rate).toBe(1.5);
    speech.end();
    expect(marked).toEqual([0, 1]);
    player.pause();
    expect(player.state).toBe('paused');
    // The cancelled utterance's late "end" must not move on.
    speech.end();
    expect(player.current).toBe(1);
    player.play();
    expect(speech.spoken.at(-1)!.text).toBe('B.');
    speech.end();
    speech.end();
    expect(states.at(-1)).toBe('done');
  });

  it('restarts the current sentence with a new speed', () => {
    const speech = new FakeSpeech();
    const player = new ListenPlayer(speech, [{ text: 'A.' }, { text: 'B.' }], { rate: 1, onSentence: () => undefined, onState: () => undefined, utter });
    player.play(1);
    player.configure({ rate: 2 });
    expect(speech.spoken.map((u) => [u.text, u.rate])).toEqual([
      ['B.', 1],
      ['B.', 2],
    ]);
  });
});
