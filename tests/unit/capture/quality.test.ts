// @vitest-environment jsdom
// The capture-quality suite: every page in tests/fixtures/capture/ is clipped
// and compared with its expected.json; a table of results is printed.
import { JSDOM } from 'jsdom';
import { afterAll, describe, expect, it } from 'vitest';
import { captureDocument } from '../../../lib/capture/capture';
import { createSanitizer } from '../../../lib/html/sanitize';
import { evaluateClip, fixtureSlugs, formatReport, loadFixture, type PageReport } from './evaluate';

const reports: PageReport[] = [];

describe('capture quality', () => {
  for (const slug of fixtureSlugs()) {
    it(slug, () => {
      const { source, expected } = loadFixture(slug);
      const dom = new JSDOM(source, { url: expected.url });
      const clip = captureDocument(dom.window.document, createSanitizer(dom.window as unknown as Window));
      const report = evaluateClip(slug, expected, clip as never);
      reports.push(report);
      expect(report.failures).toEqual([]);
    });
  }
  afterAll(() => {
    console.log(`\nCapture quality\n${formatReport(reports)}\n`);
  });
});
