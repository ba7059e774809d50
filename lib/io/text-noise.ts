import { NOISE_HEADINGS, SIGN_IN_TEXT } from '../capture/noise';

/**
 * The plain text of a page (a social post copied whole, a reading-list
 * capture) with the page furniture the clipper removes from the same page:
 * sign-in prompts anywhere, and the trailing recommendation blocks ("More
 * Relevant Posts", "Explore related topics", topic lists) once a noise
 * heading starts the page's tail. Same words as lib/capture/noise.ts.
 */
export function stripTextNoise(text: string): string {
  const lines = text.split('\n');
  const isNoiseHeading = (l: string) => NOISE_HEADINGS.test(l.trim()) || /^explore (?:content categories|related topics)$/i.test(l.trim());
  const isPrompt = (l: string) => SIGN_IN_TEXT.test(l.trim());
  let contentSeen = 0;
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    if (isNoiseHeading(line) && contentSeen > 0) {
      // Only a tail that is furniture throughout is cut: at least one more heading or prompt follows.
      const tail = lines.slice(i + 1);
      if (tail.some((l) => isNoiseHeading(l) || isPrompt(l))) {
        cut = i;
        break;
      }
    }
    if (!isPrompt(line)) contentSeen += 1;
  }
  return lines
    .slice(0, cut)
    .filter((l) => !isPrompt(l))
    .join('\n')
    .replace(/\n[\s-]*$/, '\n')
    .trimEnd();
}
