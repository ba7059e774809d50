import { marked } from 'marked';
import { useMemo } from 'preact/hooks';
import type { Sanitize } from '../../lib/html/sanitize';

/** A note written in Markdown, shown rendered and sanitized (links open in a new tab, nothing runs). */
export function MarkdownNote({ text, sanitize, class: className = 'note-text' }: { text: string; sanitize: Sanitize; class?: string }) {
  const html = useMemo(() => sanitize(marked.parse(text, { async: false, gfm: true, breaks: true }) as string), [text, sanitize]);
  // `html` was sanitized just above.
  return <div class={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
