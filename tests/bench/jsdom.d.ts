// jsdom ships no types and @types/jsdom is not installed; benches and the
// capture tests need only this.
declare module 'jsdom' {
  export class JSDOM {
    constructor(html?: string, options?: { url?: string; pretendToBeVisual?: boolean });
    readonly window: Window & typeof globalThis;
  }
}
