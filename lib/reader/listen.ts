/**
 * Listen: reads an article aloud with the system's voices (Web Speech API),
 * one sentence per utterance, so the sentence being read can be marked and
 * the reader can pause and resume at a sentence.
 */

export interface Sentence {
  text: string;
  /** The block it belongs to (paragraph, heading, list item, code block). */
  block: Element;
  range: Range;
}

const BLOCKS = 'p, li, h1, h2, h3, h4, h5, h6, blockquote, figcaption, td, th, dt, dd, pre';

/** Splits a block's text into sentences: Intl.Segmenter where there is one, else at . ! ? followed by a space. */
export function splitSentences(text: string, lang = 'en'): [start: number, end: number][] {
  const out: [number, number][] = [];
  const push = (start: number, end: number) => {
    const slice = text.slice(start, end);
    const lead = slice.length - slice.trimStart().length;
    const trail = slice.length - slice.trimEnd().length;
    if (slice.trim()) out.push([start + lead, end - trail]);
  };
  const Segmenter = (Intl as { Segmenter?: typeof Intl.Segmenter }).Segmenter;
  if (Segmenter) {
    let seg: Intl.Segmenter;
    try {
      seg = new Segmenter(lang, { granularity: 'sentence' });
    } catch {
      seg = new Segmenter('en', { granularity: 'sentence' });
    }
    for (const s of seg.segment(text)) push(s.index, s.index + s.segment.length);
    return out;
  }
  const re = /[^.!?]*(?:[.!?]+(?=\s|$)|$)/g;
  for (const m of text.matchAll(re)) if (m[0]) push(m.index, m.index + m[0].length);
  return out;
}

/**
 * The article's sentences in reading order. Only innermost blocks are read
 * (a list item holding paragraphs is read through its paragraphs); code
 * blocks are read line by line, or skipped.
 */
export function collectSentences(root: Element, opts: { skipCode: boolean; lang?: string }): Sentence[] {
  const doc = root.ownerDocument;
  const blocks = [...root.querySelectorAll(BLOCKS)].filter((b) => !b.querySelector(BLOCKS) && !(b.tagName !== 'PRE' && b.closest('pre')));
  const out: Sentence[] = [];
  for (const block of blocks) {
    const isCode = block.tagName === 'PRE';
    if (isCode && opts.skipCode) continue;
    const nodes: Text[] = [];
    const walker = doc.createTreeWalker(block, 4 /* NodeFilter.SHOW_TEXT */);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
    const text = nodes.map((n) => n.data).join('');
    if (!text.trim()) continue;
    const spans: [number, number][] = isCode ? lineSpans(text) : splitSentences(text, opts.lang);
    for (const [start, end] of spans) {
      const range = doc.createRange();
      const a = locate(nodes, start);
      const b = locate(nodes, end);
      if (!a || !b) continue;
      range.setStart(a.node, a.offset);
      range.setEnd(b.node, b.offset);
      out.push({ text: text.slice(start, end).replace(/\s+/g, ' '), block, range });
    }
  }
  return out;
}

function lineSpans(text: string): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (const line of text.split('\n')) {
    if (line.trim()) out.push([at + (line.length - line.trimStart().length), at + line.trimEnd().length]);
    at += line.length + 1;
  }
  return out;
}

function locate(nodes: Text[], offset: number): { node: Text; offset: number } | undefined {
  let at = 0;
  for (const node of nodes) {
    if (offset <= at + node.data.length) return { node, offset: offset - at };
    at += node.data.length;
  }
  const last = nodes.at(-1);
  return last ? { node: last, offset: last.data.length } : undefined;
}

/** The first sentence whose block is at or below `top` (px from the scroller's top edge), to start where the reader is. */
export function firstSentenceFrom(sentences: Sentence[], top: number): number {
  const i = sentences.findIndex((s) => s.range.getBoundingClientRect().bottom > top);
  return i === -1 ? 0 : i;
}

export type ListenState = 'idle' | 'playing' | 'paused' | 'done';

export interface SpeechApi {
  speak(u: SpeechSynthesisUtterance): void;
  cancel(): void;
  getVoices(): SpeechSynthesisVoice[];
}

export interface ListenOptions {
  rate: number;
  voice?: SpeechSynthesisVoice;
  lang?: string;
  onSentence: (index: number) => void;
  onState: (state: ListenState) => void;
  /** Makes an utterance (the browser's constructor; tests pass a fake). */
  utter?: (text: string) => SpeechSynthesisUtterance;
}

/**
 * Speaks sentences one after another. Pause cancels the current utterance
 * and remembers its sentence (speechSynthesis.pause is unreliable across
 * engines), so play resumes at the start of that sentence.
 */
export class ListenPlayer {
  private index = 0;
  private token = 0;
  state: ListenState = 'idle';

  constructor(
    private readonly speech: SpeechApi,
    private readonly sentences: { text: string }[],
    private options: ListenOptions,
  ) {}

  get current(): number {
    return this.index;
  }

  play(from = this.index): void {
    if (this.sentences.length === 0) return this.set('done');
    this.index = Math.max(0, Math.min(this.sentences.length - 1, from));
    this.speech.cancel();
    this.set('playing');
    this.speakCurrent();
  }

  pause(): void {
    if (this.state !== 'playing') return;
    this.token += 1;
    this.speech.cancel();
    this.set('paused');
  }

  stop(): void {
    this.token += 1;
    this.speech.cancel();
    this.set('idle');
  }

  /** New speed or voice: the sentence being read starts again with it. */
  configure(patch: Partial<Pick<ListenOptions, 'rate' | 'voice'>>): void {
    this.options = { ...this.options, ...patch };
    if (this.state === 'playing') this.play(this.index);
  }

  private speakCurrent(): void {
    const token = ++this.token;
    const sentence = this.sentences[this.index]!;
    const u = this.options.utter ? this.options.utter(sentence.text) : new SpeechSynthesisUtterance(sentence.text);
    u.rate = this.options.rate;
    if (this.options.voice) u.voice = this.options.voice;
    if (this.options.lang && !this.options.voice) u.lang = this.options.lang;
    u.onend = () => {
      if (token !== this.token) return;
      if (this.index + 1 >= this.sentences.length) {
        this.index = 0;
        this.set('done');
        return;
      }
      this.index += 1;
      this.speakCurrent();
    };
    u.onerror = (e: SpeechSynthesisErrorEvent) => {
      if (token !== this.token || e.error === 'interrupted' || e.error === 'canceled') return;
      this.set('paused');
    };
    this.options.onSentence(this.index);
    this.speech.speak(u);
  }

  private set(state: ListenState): void {
    this.state = state;
    this.options.onState(state);
  }
}
