// The generated backup of the import bench: 5,000 articles (or any count)
// with eight paragraphs and a code block each, in Offprint's backup format.
import { BACKUP_FORMAT, BACKUP_VERSION, type Backup, type BackupArticle } from '../../lib/io/backup';

function paragraph(i: number, p: number): string {
  return `Paragraph ${p} of post ${i}: rolling updates, readiness probes and pod disruption budgets keep service ${i % 97} available while nodes drain and images roll forward.`;
}

export function generateBackup(count: number): Backup {
  const articles: BackupArticle[] = [];
  for (let i = 0; i < count; i++) {
    const paras = Array.from({ length: 8 }, (_, p) => paragraph(i, p));
    const text = paras.join('\n\n') + '\n\nkubectl rollout status deployment/web';
    const html = paras.map((t) => `<p>${t}</p>`).join('') + '<pre>kubectl rollout status deployment/web</pre>';
    const at = Date.UTC(2025, 0, 1) + i * 60_000;
    articles.push({
      id: `bench-${i}`,
      url: `https://blog.example.dev/post-${i}`,
      guid: i % 2 ? `https://medium.com/p/${i.toString(16)}` : undefined,
      source: i % 3 === 0 ? 'feed' : i % 3 === 1 ? 'clip' : 'import',
      box: i % 10 === 0 ? 'archive' : i % 3 === 0 ? 'inbox' : 'saved',
      title: `Post ${i}: keeping deployments boring`,
      author: `Author ${i % 40}`,
      tags: i % 4 ? ['kubernetes', `t${i % 9}`] : [],
      publishedAt: at,
      savedAt: at + 1000,
      sortAt: at,
      wordCount: 200,
      readingMinutes: 1,
      isRead: (i % 2) as 0 | 1,
      starred: (i % 7 === 0 ? 1 : 0) as 0 | 1,
      progress: (i % 5) / 5,
      isPreview: 0,
      isReply: 0,
      offline: 'ready',
      html,
      text,
    });
  }
  return { format: BACKUP_FORMAT, version: BACKUP_VERSION, exportedAt: Date.UTC(2026, 0, 1), settings: {}, feeds: [], articles };
}
