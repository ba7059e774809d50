import { describe, expect, it } from 'vitest';
import { textToDraft } from '../../../lib/io/text';
import { stripTextNoise } from '../../../lib/io/text-noise';

// Modelled on the text of a social-post page: the post, then the page's furniture.
const PAGE = `🚀 𝗛𝗲𝗹𝗺 𝗰𝗵𝗮𝗿𝘁𝘀 are not templates for copy-paste 🚀 Most teams treat values.yaml as a dumping ground. Split defaults from environment overrides, and lint every chart in CI.
Helm chart hygiene, explained
More Relevant Posts
-
Day 3 of my Terraform journey: today I learned remote state with locking. #terraform #devops
To view or add a comment, sign in
-
Why your pods restart: liveness probes that are too eager. #kubernetes
To view or add a comment, sign in
More from this author
Explore related topics
- Understanding Helm Values Files
- How to Lint Kubernetes Manifests
Explore content categories
- Career
- Technology
- Leadership`;

describe('plain text of a page drops the page’s furniture, like a clip of it', () => {
  it('keeps the post and drops related posts, sign-in prompts and topic lists', () => {
    const text = stripTextNoise(PAGE);
    expect(text).toBe(`🚀 𝗛𝗲𝗹𝗺 𝗰𝗵𝗮𝗿𝘁𝘀 are not templates for copy-paste 🚀 Most teams treat values.yaml as a dumping ground. Split defaults from environment overrides, and lint every chart in CI.
Helm chart hygiene, explained`);
    const draft = textToDraft(PAGE, 'post.txt');
    expect(draft.html).not.toMatch(/More Relevant Posts|sign in|Explore|Terraform journey|Career/);
    expect(draft.html).toContain('lint every chart in CI');
  });

  it('leaves an article alone when a word like “Comments” is only a line of it', () => {
    const article = 'Notes on reviews\n\nComments\n\nReview comments should ask questions, not give orders.\n\nThe end.';
    expect(stripTextNoise(article)).toBe(article);
  });
});
